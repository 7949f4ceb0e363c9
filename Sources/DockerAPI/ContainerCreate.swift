/// The body of `POST /containers/create`: `Config` fields at the top level plus
/// `HostConfig` and `NetworkingConfig`.
public struct ContainerCreateRequest: Codable, Sendable, Equatable {
    public var config: ContainerConfig
    public var hostConfig: HostConfig?
    public var networkingConfig: NetworkingConfig?

    enum CodingKeys: String, CodingKey { case hostConfig = "HostConfig", networkingConfig = "NetworkingConfig" }

    public init(config: ContainerConfig, hostConfig: HostConfig? = nil, networkingConfig: NetworkingConfig? = nil) {
        self.config = config; self.hostConfig = hostConfig; self.networkingConfig = networkingConfig
    }

    public init(from decoder: Decoder) throws {
        config = try ContainerConfig(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostConfig = try c.decodeIfPresent(HostConfig.self, forKey: .hostConfig)
        networkingConfig = try c.decodeIfPresent(NetworkingConfig.self, forKey: .networkingConfig)
    }

    public func encode(to encoder: Encoder) throws {
        try config.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(hostConfig, forKey: .hostConfig)
        try c.encodeIfPresent(networkingConfig, forKey: .networkingConfig)
    }
}

/// `NetworkingConfig`: per-network endpoint settings at create time.
public struct NetworkingConfig: Codable, Sendable, Equatable {
    public var endpointsConfig: [String: EndpointSettings]?
    enum CodingKeys: String, CodingKey { case endpointsConfig = "EndpointsConfig" }
    public init(endpointsConfig: [String: EndpointSettings]? = nil) { self.endpointsConfig = endpointsConfig }
}

/// One network endpoint of a container (create request and inspect).
public struct EndpointSettings: Codable, Sendable, Equatable {
    public var aliases: [String]?
    public var links: [String]?
    public var networkID: String?
    public var endpointID: String?
    public var gateway: String?
    public var ipAddress: String?
    public var ipPrefixLen: Int?
    public var macAddress: String?
    public var dnsNames: [String]?
    public var ipamConfig: EndpointIPAMConfig?
    enum CodingKeys: String, CodingKey {
        case aliases = "Aliases", links = "Links", networkID = "NetworkID", endpointID = "EndpointID"
        case gateway = "Gateway", ipAddress = "IPAddress", ipPrefixLen = "IPPrefixLen", macAddress = "MacAddress"
        case dnsNames = "DNSNames", ipamConfig = "IPAMConfig"
    }
    public init() {}
}

/// An endpoint's requested addresses (`--ip`).
public struct EndpointIPAMConfig: Codable, Sendable, Equatable {
    public var ipv4Address: String?
    public var ipv6Address: String?
    enum CodingKeys: String, CodingKey { case ipv4Address = "IPv4Address", ipv6Address = "IPv6Address" }
    public init(ipv4Address: String? = nil) { self.ipv4Address = ipv4Address }
}
