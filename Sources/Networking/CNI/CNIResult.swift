/// A plugin's ADD result (CNI spec 1.0 "Success" object): what the next plugin receives as
/// `prevResult`, and what the engine reads addresses and interfaces from.
public struct CNIResult: Codable, Sendable, Equatable {
    public struct Interface: Codable, Sendable, Equatable {
        public var name: String
        public var mac: String?
        /// Set for interfaces inside the container's namespace.
        public var sandbox: String?
    }
    public struct IPConfig: Codable, Sendable, Equatable {
        /// Index into `interfaces`.
        public var interface: Int?
        /// `a.b.c.d/n`.
        public var address: String
        public var gateway: String?
    }
    public struct Route: Codable, Sendable, Equatable {
        public var dst: String
        public var gw: String?
    }
    public struct DNS: Codable, Sendable, Equatable {
        public var nameservers: [String]?
        public var domain: String?
        public var search: [String]?
        public var options: [String]?
    }

    public var cniVersion: String
    public var interfaces: [Interface]?
    public var ips: [IPConfig]?
    public var routes: [Route]?
    public var dns: DNS?

    /// The first address on the container-side interface named `ifName`.
    public func ip(on ifName: String) -> IPConfig? {
        let list = ips ?? []
        return list.first { ip in ip.interface.flatMap { interfaces?.indices.contains($0) == true ? interfaces?[$0].name : nil } == ifName }
            ?? list.first
    }

    /// The container-side interface called `ifName`.
    public func containerInterface(_ ifName: String) -> Interface? {
        interfaces?.first { $0.name == ifName && $0.sandbox != nil }
    }

    /// Host-side interfaces (the veth peer), i.e. those without a sandbox that are not `bridge`.
    public func hostInterfaces(excluding bridge: String) -> [String] {
        (interfaces ?? []).filter { $0.sandbox == nil && $0.name != bridge }.map(\.name)
    }
}

/// A plugin's error object (CNI spec 1.0 "Error").
public struct CNIErrorObject: Codable, Sendable, Equatable {
    public var code: Int
    public var msg: String
    public var details: String?
}
