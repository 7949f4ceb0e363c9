/// One container's attachment to one network: what the user asked for (aliases, an address)
/// and, while the container runs, what CNI gave it.
public struct Endpoint: Codable, Sendable, Equatable {
    public var networkID: String
    /// `--network-alias`: extra names peers resolve to this container on this network.
    public var aliases: [String]
    /// `--ip`: the address asked for, if any.
    public var requestedIP: String?
    // Set while running:
    public var endpointID: String = ""
    /// The interface inside the container (`eth0`, `eth1`, …).
    public var ifName: String = ""
    public var ipAddress: String = ""
    public var prefixLength: Int = 0
    public var gateway: String = ""
    public var macAddress: String = ""
    /// The host side of the veth pair.
    public var hostInterface: String = ""

    public init(networkID: String, aliases: [String] = [], requestedIP: String? = nil) {
        self.networkID = networkID; self.aliases = aliases; self.requestedIP = requestedIP
    }

    /// True while CNI has configured it.
    public var isAttached: Bool { !ifName.isEmpty }

    /// Forgets what CNI gave (after DEL).
    mutating func detach() {
        endpointID = ""; ifName = ""; ipAddress = ""; prefixLength = 0; gateway = ""; macAddress = ""; hostInterface = ""
    }
}
