/// One mount performed in the container, in `mounts` order.
public struct Mount: Codable, Sendable, Equatable {
    /// Absolute path inside the container.
    public var destination: String
    /// Filesystem type, e.g. "proc", "tmpfs", "bind".
    public var type: String?
    /// Device, directory or pseudo-source.
    public var source: String?
    /// mount(8)-style options, e.g. "nosuid", "rbind", "mode=755".
    public var options: [String]?
    /// ID-mapped mount: user ID mappings.
    public var uidMappings: [LinuxIDMapping]?
    /// ID-mapped mount: group ID mappings.
    public var gidMappings: [LinuxIDMapping]?

    /// Creates a mount.
    public init(
        destination: String,
        type: String? = nil,
        source: String? = nil,
        options: [String]? = nil,
        uidMappings: [LinuxIDMapping]? = nil,
        gidMappings: [LinuxIDMapping]? = nil
    ) {
        self.destination = destination
        self.type = type
        self.source = source
        self.options = options
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
    }
}
