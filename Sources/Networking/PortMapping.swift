/// One published port as CNI's portmap plugin takes it (`runtimeConfig.portMappings`).
public struct PortMapping: Codable, Sendable, Equatable, Hashable {
    public var hostPort: Int
    public var containerPort: Int
    /// `tcp` or `udp`.
    public var proto: String
    /// Empty for every host address.
    public var hostIP: String

    enum CodingKeys: String, CodingKey { case hostPort, containerPort, proto = "protocol", hostIP }

    public init(hostPort: Int, containerPort: Int, proto: String, hostIP: String = "") {
        self.hostPort = hostPort; self.containerPort = containerPort; self.proto = proto; self.hostIP = hostIP
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostPort = try c.decode(Int.self, forKey: .hostPort)
        containerPort = try c.decode(Int.self, forKey: .containerPort)
        proto = try c.decodeIfPresent(String.self, forKey: .proto) ?? "tcp"
        hostIP = try c.decodeIfPresent(String.self, forKey: .hostIP) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostPort, forKey: .hostPort)
        try c.encode(containerPort, forKey: .containerPort)
        try c.encode(proto, forKey: .proto)
        if !hostIP.isEmpty { try c.encode(hostIP, forKey: .hostIP) }
    }
}
