/// `POST /networks/create`.
public struct NetworkCreateRequest: Codable, Sendable, Equatable {
    public var name: String
    public var driver: String?
    public var `internal`: Bool?
    public var attachable: Bool?
    public var ingress: Bool?
    public var enableIPv6: Bool?
    public var ipam: IPAM?
    public var options: [String: String]?
    public var labels: [String: String]?
    public var checkDuplicate: Bool?
    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", `internal` = "Internal", attachable = "Attachable", ingress = "Ingress"
        case enableIPv6 = "EnableIPv6", ipam = "IPAM", options = "Options", labels = "Labels", checkDuplicate = "CheckDuplicate"
    }
    public init(name: String, driver: String? = nil, internal: Bool? = nil, ipam: IPAM? = nil, labels: [String: String]? = nil) {
        self.name = name; self.driver = driver; self.internal = `internal`; self.ipam = ipam; self.labels = labels
    }
}

/// A network's address management settings.
public struct IPAM: Codable, Sendable, Equatable {
    public var driver: String?
    public var config: [IPAMConfig]?
    public var options: [String: String]?
    enum CodingKeys: String, CodingKey { case driver = "Driver", config = "Config", options = "Options" }
    public init(driver: String? = "default", config: [IPAMConfig]? = nil, options: [String: String]? = nil) {
        self.driver = driver; self.config = config; self.options = options
    }
}

/// One address pool of a network.
public struct IPAMConfig: Codable, Sendable, Equatable {
    public var subnet: String?
    public var ipRange: String?
    public var gateway: String?
    public var auxiliaryAddresses: [String: String]?
    enum CodingKeys: String, CodingKey { case subnet = "Subnet", ipRange = "IPRange", gateway = "Gateway", auxiliaryAddresses = "AuxiliaryAddresses" }
    public init(subnet: String? = nil, ipRange: String? = nil, gateway: String? = nil) {
        self.subnet = subnet; self.ipRange = ipRange; self.gateway = gateway
    }
}

/// `POST /networks/create`'s answer.
public struct NetworkCreateResponse: Codable, Sendable, Equatable {
    public var id: String
    public var warning: String
    enum CodingKeys: String, CodingKey { case id = "Id", warning = "Warning" }
    public init(id: String, warning: String = "") { self.id = id; self.warning = warning }
}

/// A network as `GET /networks` and `GET /networks/{id}` show it.
public struct NetworkResource: Codable, Sendable, Equatable {
    public var name: String
    public var id: String
    public var created: String
    public var scope: String
    public var driver: String
    public var enableIPv4: Bool
    public var enableIPv6: Bool
    public var ipam: IPAM
    public var `internal`: Bool
    public var attachable: Bool
    public var ingress: Bool
    public var configFrom: ConfigReference
    public var configOnly: Bool
    public var containers: [String: NetworkContainer]
    public var options: [String: String]
    public var labels: [String: String]
    enum CodingKeys: String, CodingKey {
        case name = "Name", id = "Id", created = "Created", scope = "Scope", driver = "Driver"
        case enableIPv4 = "EnableIPv4", enableIPv6 = "EnableIPv6", ipam = "IPAM", `internal` = "Internal"
        case attachable = "Attachable", ingress = "Ingress", configFrom = "ConfigFrom", configOnly = "ConfigOnly"
        case containers = "Containers", options = "Options", labels = "Labels"
    }
    public init(name: String, id: String, created: String, driver: String, ipam: IPAM, internal: Bool, attachable: Bool,
                containers: [String: NetworkContainer], options: [String: String], labels: [String: String]) {
        self.name = name; self.id = id; self.created = created; self.scope = "local"; self.driver = driver
        self.enableIPv4 = true; self.enableIPv6 = false; self.ipam = ipam; self.internal = `internal`
        self.attachable = attachable; self.ingress = false; self.configFrom = ConfigReference(network: "")
        self.configOnly = false; self.containers = containers; self.options = options; self.labels = labels
    }

    public struct ConfigReference: Codable, Sendable, Equatable {
        public var network: String
        enum CodingKeys: String, CodingKey { case network = "Network" }
    }
}

/// A member of a network, in `NetworkResource.Containers`.
public struct NetworkContainer: Codable, Sendable, Equatable {
    public var name: String
    public var endpointID: String
    public var macAddress: String
    public var ipv4Address: String
    public var ipv6Address: String
    enum CodingKeys: String, CodingKey {
        case name = "Name", endpointID = "EndpointID", macAddress = "MacAddress", ipv4Address = "IPv4Address", ipv6Address = "IPv6Address"
    }
    public init(name: String, endpointID: String, macAddress: String, ipv4Address: String) {
        self.name = name; self.endpointID = endpointID; self.macAddress = macAddress; self.ipv4Address = ipv4Address; self.ipv6Address = ""
    }
}

/// `POST /networks/{id}/connect`.
public struct NetworkConnectRequest: Codable, Sendable, Equatable {
    public var container: String
    public var endpointConfig: EndpointSettings?
    enum CodingKeys: String, CodingKey { case container = "Container", endpointConfig = "EndpointConfig" }
    public init(container: String, endpointConfig: EndpointSettings? = nil) { self.container = container; self.endpointConfig = endpointConfig }
}

/// `POST /networks/{id}/disconnect`.
public struct NetworkDisconnectRequest: Codable, Sendable, Equatable {
    public var container: String
    public var force: Bool?
    enum CodingKeys: String, CodingKey { case container = "Container", force = "Force" }
    public init(container: String, force: Bool? = nil) { self.container = container; self.force = force }
}

/// `POST /networks/prune`'s answer.
public struct NetworkPruneResponse: Codable, Sendable, Equatable {
    public var networksDeleted: [String]
    enum CodingKeys: String, CodingKey { case networksDeleted = "NetworksDeleted" }
    public init(networksDeleted: [String]) { self.networksDeleted = networksDeleted }
}
