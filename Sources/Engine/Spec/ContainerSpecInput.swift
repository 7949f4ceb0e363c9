import DockerAPI
import OCI

/// Everything ``ContainerSpecBuilder`` needs to write one container's OCI runtime spec.
///
/// A plain value: the engine resolves names, paths and the user first (I/O), then the
/// builder turns this into a `Spec` without touching the host.
public struct ContainerSpecInput: Sendable, Equatable {
    /// Full container ID (64 hex digits); its first 12 characters are the default hostname.
    public var id: String
    /// Container name without the leading "/" (goes into the annotations).
    public var name: String
    /// The container's config, already merged with the image's by ``ConfigMerger``
    /// (docker merges at create time and stores the result).
    public var config: DockerAPI.ContainerConfig
    /// How the container is placed on the host.
    public var hostConfig: HostConfig
    /// The image's run defaults; informational here (already merged into `config`).
    public var imageConfig: OCI.ContainerConfig?
    /// Absolute host path of the prepared root filesystem (the overlay mount point).
    public var rootfsPath: String
    /// User mounts (binds, named volumes, tmpfs), resolved by the engine; sorted by the builder.
    public var mounts: [ResolvedMount]
    /// Host devices from `--device`, resolved (stat'ed) by the engine: see ``ResolvedDevice/stat(_:)``.
    public var devices: [ResolvedDevice]
    /// The container's generated /etc files; nil leaves the image's own file in place.
    public var etcFiles: EtcFiles
    /// The network namespace the container gets.
    public var network: NetworkNamespace
    /// Parent cgroup of the container: `linux.cgroupsPath` is `cgroupParent + "/" + id`.
    /// Defaults to "/berth" (so "/berth/<id>", like docker's "/docker/<id>" with cgroupfs).
    /// `HostConfig.CgroupParent`, when set, wins over this.
    public var cgroupParent: String
    /// True on a pure cgroup v2 host (`CgroupHierarchy.current().isUnifiedOnly`): docker's
    /// default cgroup namespace mode is then "private", otherwise "host".
    public var cgroupV2Only: Bool
    /// The process' identity, resolved from `config.user` and `HostConfig.GroupAdd` by ``UserResolver``.
    public var user: ResolvedUser
    /// Host path of the init binary (`docker-init`/tini) used for `--init`; nil refuses `--init`.
    public var initPath: String?
    /// Limits every container starts with before `--ulimit`: docker+containerd's
    /// RLIMIT_NOFILE 1048576:1048576 by default. A daemon without CAP_SYS_RESOURCE (or on a
    /// host whose fs.nr_open is lower) cannot raise a hard limit above its own, so it
    /// should pass its own limits here instead.
    public var defaultRlimits: [POSIXRlimit]

    /// Creates an input; everything but the identity, configs and rootfs has a docker-like default.
    public init(
        id: String,
        name: String,
        config: DockerAPI.ContainerConfig,
        hostConfig: HostConfig = HostConfig(),
        imageConfig: OCI.ContainerConfig? = nil,
        rootfsPath: String,
        mounts: [ResolvedMount] = [],
        devices: [ResolvedDevice] = [],
        etcFiles: EtcFiles = EtcFiles(),
        network: NetworkNamespace = .new,
        cgroupParent: String = "/berth",
        cgroupV2Only: Bool = false,
        user: ResolvedUser = ResolvedUser(),
        initPath: String? = nil,
        defaultRlimits: [POSIXRlimit] = DockerDefaults.rlimits
    ) {
        self.id = id
        self.name = name
        self.config = config
        self.hostConfig = hostConfig
        self.imageConfig = imageConfig
        self.rootfsPath = rootfsPath
        self.mounts = mounts
        self.devices = devices
        self.etcFiles = etcFiles
        self.network = network
        self.cgroupParent = cgroupParent
        self.cgroupV2Only = cgroupV2Only
        self.user = user
        self.initPath = initPath
        self.defaultRlimits = defaultRlimits
    }
}

/// Host paths of the files docker bind-mounts over the image's /etc/hosts, /etc/hostname
/// and /etc/resolv.conf.
public struct EtcFiles: Sendable, Equatable {
    /// Mounted at /etc/hosts.
    public var hosts: String?
    /// Mounted at /etc/hostname.
    public var hostname: String?
    /// Mounted at /etc/resolv.conf.
    public var resolvConf: String?

    /// Creates the set; a nil path mounts nothing there.
    public init(hosts: String? = nil, hostname: String? = nil, resolvConf: String? = nil) {
        self.hosts = hosts
        self.hostname = hostname
        self.resolvConf = resolvConf
    }
}

/// The container's network namespace.
public enum NetworkNamespace: Sendable, Equatable {
    /// A fresh namespace (bridge and none networks); the engine configures it.
    case new
    /// The host's namespace (`--network host`): no network namespace entry.
    case host
    /// Join an existing one, e.g. "/proc/<pid>/ns/net" or a bind-mounted netns file
    /// (`--network container:<id>`, or a namespace the engine prepared).
    case join(path: String)
}

/// One user mount, resolved to a host path by the engine.
public enum ResolvedMount: Sendable, Equatable {
    /// `-v /host:/ctr[:ro]` or `--mount type=bind`.
    /// `propagation` is one of docker's modes ("rprivate" when nil); `recursive` false makes a plain bind.
    case bind(source: String, destination: String, readOnly: Bool, propagation: String? = nil, recursive: Bool = true)
    /// A named or anonymous volume, mounted as a bind of its data directory.
    case volume(name: String, source: String, destination: String, readOnly: Bool)
    /// `--tmpfs /run:rw,size=64m,mode=1777` or `--mount type=tmpfs`: `options` is the option string.
    case tmpfs(destination: String, options: String)

    /// Where the mount lands in the container.
    public var destination: String {
        switch self {
        case .bind(_, let destination, _, _, _), .volume(_, _, let destination, _), .tmpfs(let destination, _):
            return destination
        }
    }

    /// `HostConfig.Tmpfs` (`--tmpfs`) as mounts, in destination order.
    public static func tmpfs(from map: [String: String]?) -> [ResolvedMount] {
        (map ?? [:]).sorted { $0.key < $1.key }.map { .tmpfs(destination: $0.key, options: $0.value) }
    }
}

/// A host device node for `--device`, with the numbers the engine read from the host.
public struct ResolvedDevice: Sendable, Equatable {
    /// Path inside the container.
    public var pathInContainer: String
    /// "c" or "b".
    public var type: String
    /// Major number.
    public var major: Int64
    /// Minor number.
    public var minor: Int64
    /// Permission bits of the node.
    public var fileMode: UInt32
    /// Owner.
    public var uid: UInt32
    /// Group.
    public var gid: UInt32
    /// Device cgroup access letters from "rwm" (docker's default "rwm").
    public var permissions: String

    /// Creates a device description.
    public init(pathInContainer: String, type: String, major: Int64, minor: Int64,
                fileMode: UInt32 = 0o666, uid: UInt32 = 0, gid: UInt32 = 0, permissions: String = "rwm") {
        self.pathInContainer = pathInContainer
        self.type = type
        self.major = major
        self.minor = minor
        self.fileMode = fileMode
        self.uid = uid
        self.gid = gid
        self.permissions = permissions
    }
}

/// The identity the container's process runs with, resolved by ``UserResolver``.
public struct ResolvedUser: Sendable, Equatable {
    /// User ID.
    public var uid: UInt32
    /// Primary group ID.
    public var gid: UInt32
    /// Supplementary groups, as docker lists them: the primary gid first, then the user's
    /// groups from /etc/group, then `--group-add`.
    public var additionalGids: [UInt32]
    /// Home directory from /etc/passwd ("/" when the user has no entry); becomes HOME.
    public var home: String

    /// Creates an identity; root with home "/" by default.
    public init(uid: UInt32 = 0, gid: UInt32 = 0, additionalGids: [UInt32] = [], home: String = "/") {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.home = home
    }
}
