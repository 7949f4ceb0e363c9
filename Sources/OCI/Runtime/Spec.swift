/// The OCI runtime-spec 1.1 container configuration: the contents of a bundle's config.json.
///
/// Property names equal the JSON keys, so the synthesized `Codable` conformance reads and
/// writes the spec's format; absent optionals are omitted on encode, never written as `null`.
public struct Spec: Codable, Sendable, Equatable {
    /// Version of the runtime spec the configuration follows, e.g. "1.1.0".
    public var ociVersion: String
    /// The container's init process; required for `create`.
    public var process: ProcessSpec?
    /// The container's root filesystem.
    public var root: Root?
    /// Hostname as seen inside the container (needs a UTS namespace).
    public var hostname: String?
    /// NIS domain name as seen inside the container (needs a UTS namespace).
    public var domainname: String?
    /// Mounts in addition to the root, performed in order.
    public var mounts: [Mount]?
    /// Lifecycle hooks.
    public var hooks: Hooks?
    /// Arbitrary metadata.
    public var annotations: [String: String]?
    /// Linux-specific configuration.
    public var linux: Linux?

    /// Creates a configuration; everything but the version is optional.
    public init(
        ociVersion: String = Spec.version,
        process: ProcessSpec? = nil,
        root: Root? = nil,
        hostname: String? = nil,
        domainname: String? = nil,
        mounts: [Mount]? = nil,
        hooks: Hooks? = nil,
        annotations: [String: String]? = nil,
        linux: Linux? = nil
    ) {
        self.ociVersion = ociVersion
        self.process = process
        self.root = root
        self.hostname = hostname
        self.domainname = domainname
        self.mounts = mounts
        self.hooks = hooks
        self.annotations = annotations
        self.linux = linux
    }

    /// The runtime-spec version Berth writes and implements.
    public static let version = "1.1.0"
}

/// The container's root filesystem.
public struct Root: Codable, Sendable, Equatable {
    /// Path to the root filesystem, absolute or relative to the bundle.
    public var path: String
    /// Whether the root filesystem is mounted read-only.
    public var readonly: Bool?

    /// Creates a root filesystem entry.
    public init(path: String, readonly: Bool? = nil) {
        self.path = path
        self.readonly = readonly
    }
}
