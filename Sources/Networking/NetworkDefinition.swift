/// One network as the engine keeps it (stored as JSON in SQLite) and as CNI sees it: a Linux
/// bridge with its subnet and gateway, NAT unless internal. `host` and `none` are built in and
/// never reach CNI.
public struct NetworkDefinition: Codable, Sendable, Equatable {
    /// 64 hex digits, as docker's network IDs.
    public var id: String
    public var name: String
    /// `bridge` for every network Berth creates; `host`/`null` for the built-in ones.
    public var driver: String
    /// The Linux bridge's interface name (`berth0` for the default network).
    public var bridge: String
    /// `a.b.c.d/n`.
    public var subnet: String
    public var gateway: String
    /// An address range inside the subnet that containers get addresses from (docker's --ip-range).
    public var ipRange: String?
    /// No NAT and no traffic to or from outside the network.
    public var isInternal: Bool
    public var attachable: Bool
    public var labels: [String: String]
    public var options: [String: String]
    /// RFC 3339, as docker shows `Created`.
    public var created: String
    /// The default `bridge` network: no name resolution between members (docker's rule).
    public var isDefault: Bool

    public init(id: String, name: String, driver: String = "bridge", bridge: String, subnet: String, gateway: String,
                ipRange: String? = nil, isInternal: Bool = false, attachable: Bool = false, labels: [String: String] = [:],
                options: [String: String] = [:], created: String, isDefault: Bool = false) {
        self.id = id; self.name = name; self.driver = driver; self.bridge = bridge; self.subnet = subnet
        self.gateway = gateway; self.ipRange = ipRange; self.isInternal = isInternal; self.attachable = attachable
        self.labels = labels; self.options = options; self.created = created; self.isDefault = isDefault
    }

    /// True for `host` and `none`, which have no bridge, no CNI and no addresses.
    public var isBuiltinWithoutBridge: Bool { driver != "bridge" }

    /// The interface name for a user network's bridge: `berth-` and 9 hex digits of its ID
    /// (15 characters, the kernel's limit). The `berth` prefix lets one iptables rule match them all.
    public static func bridgeName(forID id: String) -> String { "berth-" + id.prefix(9) }
}
