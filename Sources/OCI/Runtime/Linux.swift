/// Linux-specific configuration (`linux` in config.json).
public struct Linux: Codable, Sendable, Equatable {
    /// User ID mappings of a new user namespace.
    public var uidMappings: [LinuxIDMapping]?
    /// Group ID mappings of a new user namespace.
    public var gidMappings: [LinuxIDMapping]?
    /// Kernel parameters written under /proc/sys, keyed like "net.ipv4.ip_forward".
    public var sysctl: [String: String]?
    /// Cgroup resource limits.
    public var resources: LinuxResources?
    /// Cgroup path, absolute or relative to the runtime's cgroup root (or "slice:prefix:name").
    public var cgroupsPath: String?
    /// Namespaces to create or join.
    public var namespaces: [LinuxNamespace]?
    /// Device nodes to create in the container.
    public var devices: [LinuxDevice]?
    /// Seccomp filter.
    public var seccomp: LinuxSeccomp?
    /// Propagation of the root mount: shared, slave, private, unbindable or their r- forms.
    public var rootfsPropagation: String?
    /// Paths masked (made unreadable) in the container.
    public var maskedPaths: [String]?
    /// Paths made read-only in the container.
    public var readonlyPaths: [String]?
    /// SELinux context for the container's mounts.
    public var mountLabel: String?
    /// Intel RDT (resctrl) settings.
    public var intelRdt: IntelRdt?
    /// Execution domain (personality(2)).
    public var personality: LinuxPersonality?
    /// Offsets of the time namespace, keyed "monotonic" and "boottime".
    public var timeOffsets: [String: LinuxTimeOffset]?

    /// Creates a Linux configuration.
    public init(
        uidMappings: [LinuxIDMapping]? = nil,
        gidMappings: [LinuxIDMapping]? = nil,
        sysctl: [String: String]? = nil,
        resources: LinuxResources? = nil,
        cgroupsPath: String? = nil,
        namespaces: [LinuxNamespace]? = nil,
        devices: [LinuxDevice]? = nil,
        seccomp: LinuxSeccomp? = nil,
        rootfsPropagation: String? = nil,
        maskedPaths: [String]? = nil,
        readonlyPaths: [String]? = nil,
        mountLabel: String? = nil,
        intelRdt: IntelRdt? = nil,
        personality: LinuxPersonality? = nil,
        timeOffsets: [String: LinuxTimeOffset]? = nil
    ) {
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
        self.sysctl = sysctl
        self.resources = resources
        self.cgroupsPath = cgroupsPath
        self.namespaces = namespaces
        self.devices = devices
        self.seccomp = seccomp
        self.rootfsPropagation = rootfsPropagation
        self.maskedPaths = maskedPaths
        self.readonlyPaths = readonlyPaths
        self.mountLabel = mountLabel
        self.intelRdt = intelRdt
        self.personality = personality
        self.timeOffsets = timeOffsets
    }
}

/// A range of IDs mapped from the container's user namespace to the host's.
public struct LinuxIDMapping: Codable, Sendable, Equatable {
    /// First ID inside the container.
    public var containerID: UInt32
    /// First ID on the host.
    public var hostID: UInt32
    /// Number of IDs mapped.
    public var size: UInt32

    /// Creates a mapping.
    public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
        self.containerID = containerID
        self.hostID = hostID
        self.size = size
    }
}

/// A namespace to create (no path) or join (path to a /proc/<pid>/ns/* file).
public struct LinuxNamespace: Codable, Sendable, Equatable {
    /// Kind of namespace.
    public var type: LinuxNamespaceType
    /// Namespace file to join; nil creates a new namespace.
    public var path: String?

    /// Creates a namespace entry.
    public init(type: LinuxNamespaceType, path: String? = nil) {
        self.type = type
        self.path = path
    }
}

/// The kinds of Linux namespace the spec knows.
public enum LinuxNamespaceType: String, Codable, Sendable, CaseIterable {
    /// Process IDs (CLONE_NEWPID).
    case pid
    /// Network stack (CLONE_NEWNET).
    case network
    /// Mount table (CLONE_NEWNS).
    case mount
    /// System V IPC and POSIX message queues (CLONE_NEWIPC).
    case ipc
    /// Hostname and domain name (CLONE_NEWUTS).
    case uts
    /// User and group IDs (CLONE_NEWUSER).
    case user
    /// Cgroup root (CLONE_NEWCGROUP).
    case cgroup
    /// Monotonic and boot-time clocks (CLONE_NEWTIME).
    case time

    /// Decodes a namespace type, naming the offending value when it is unknown.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = LinuxNamespaceType(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown namespace type \"\(raw)\"")
        }
        self = value
    }
}

/// A device node created in the container.
public struct LinuxDevice: Codable, Sendable, Equatable {
    /// Absolute path inside the container.
    public var path: String
    /// Node type: "c", "u" (character), "b" (block) or "p" (FIFO).
    public var type: String
    /// Major number.
    public var major: Int64
    /// Minor number.
    public var minor: Int64
    /// Permission bits of the node.
    public var fileMode: UInt32?
    /// Owner of the node.
    public var uid: UInt32?
    /// Group of the node.
    public var gid: UInt32?

    /// Creates a device entry.
    public init(
        path: String,
        type: String,
        major: Int64,
        minor: Int64,
        fileMode: UInt32? = nil,
        uid: UInt32? = nil,
        gid: UInt32? = nil
    ) {
        self.path = path
        self.type = type
        self.major = major
        self.minor = minor
        self.fileMode = fileMode
        self.uid = uid
        self.gid = gid
    }
}

/// Intel Resource Director Technology settings, applied through resctrl.
public struct IntelRdt: Codable, Sendable, Equatable {
    /// resctrl group (class of service) name.
    public var closID: String?
    /// L3 cache allocation schema, e.g. "L3:0=ffff0;1=3ff".
    public var l3CacheSchema: String?
    /// Memory bandwidth allocation schema, e.g. "MB:0=20;1=70".
    public var memBwSchema: String?
    /// Enables cache monitoring (CMT).
    public var enableCMT: Bool?
    /// Enables memory bandwidth monitoring (MBM).
    public var enableMBM: Bool?

    /// Creates RDT settings.
    public init(
        closID: String? = nil,
        l3CacheSchema: String? = nil,
        memBwSchema: String? = nil,
        enableCMT: Bool? = nil,
        enableMBM: Bool? = nil
    ) {
        self.closID = closID
        self.l3CacheSchema = l3CacheSchema
        self.memBwSchema = memBwSchema
        self.enableCMT = enableCMT
        self.enableMBM = enableMBM
    }
}

/// Execution domain of the container (personality(2)).
public struct LinuxPersonality: Codable, Sendable, Equatable {
    /// Domain: "LINUX" or "LINUX32".
    public var domain: String
    /// Additional personality flags.
    public var flags: [String]?

    /// Creates a personality.
    public init(domain: String, flags: [String]? = nil) {
        self.domain = domain
        self.flags = flags
    }
}

/// Offset of one clock in a time namespace.
public struct LinuxTimeOffset: Codable, Sendable, Equatable {
    /// Whole seconds.
    public var secs: Int64?
    /// Additional nanoseconds.
    public var nanosecs: UInt32?

    /// Creates an offset.
    public init(secs: Int64? = nil, nanosecs: UInt32? = nil) {
        self.secs = secs
        self.nanosecs = nanosecs
    }
}
