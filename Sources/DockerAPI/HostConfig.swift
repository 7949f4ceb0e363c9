/// Docker's `HostConfig`: how a container is placed on the host (API field names).
public struct HostConfig: Codable, Sendable, Equatable {
    // Resources
    public var cpuShares: Int64?
    public var memory: Int64?
    public var cgroupParent: String?
    public var blkioWeight: Int?
    public var cpuPeriod: Int64?
    public var cpuQuota: Int64?
    public var cpuRealtimePeriod: Int64?
    public var cpuRealtimeRuntime: Int64?
    public var cpusetCpus: String?
    public var cpusetMems: String?
    public var devices: [DeviceMapping]?
    public var deviceCgroupRules: [String]?
    public var memoryReservation: Int64?
    public var memorySwap: Int64?
    public var memorySwappiness: Int64?
    public var nanoCpus: Int64?
    public var oomKillDisable: Bool?
    public var pidsLimit: Int64?
    public var ulimits: [Ulimit]?
    // Placement
    public var binds: [String]?
    public var containerIDFile: String?
    public var logConfig: LogConfig?
    public var networkMode: String?
    public var portBindings: [String: [PortBinding]?]?
    public var restartPolicy: RestartPolicy?
    public var autoRemove: Bool?
    public var volumeDriver: String?
    public var volumesFrom: [String]?
    public var mounts: [Mount]?
    public var consoleSize: [Int]?
    public var capAdd: [String]?
    public var capDrop: [String]?
    public var cgroupnsMode: String?
    public var dns: [String]?
    public var dnsOptions: [String]?
    public var dnsSearch: [String]?
    public var extraHosts: [String]?
    public var groupAdd: [String]?
    public var ipcMode: String?
    public var cgroup: String?
    public var links: [String]?
    public var oomScoreAdj: Int?
    public var pidMode: String?
    public var privileged: Bool?
    public var publishAllPorts: Bool?
    public var readonlyRootfs: Bool?
    public var securityOpt: [String]?
    public var storageOpt: [String: String]?
    public var tmpfs: [String: String]?
    public var utsMode: String?
    public var usernsMode: String?
    public var shmSize: Int64?
    public var sysctls: [String: String]?
    public var runtime: String?
    public var isolation: String?
    public var maskedPaths: [String]?
    public var readonlyPaths: [String]?
    public var initProcess: Bool?

    enum CodingKeys: String, CodingKey {
        case cpuShares = "CpuShares", memory = "Memory", cgroupParent = "CgroupParent", blkioWeight = "BlkioWeight"
        case cpuPeriod = "CpuPeriod", cpuQuota = "CpuQuota", cpuRealtimePeriod = "CpuRealtimePeriod"
        case cpuRealtimeRuntime = "CpuRealtimeRuntime", cpusetCpus = "CpusetCpus", cpusetMems = "CpusetMems"
        case devices = "Devices", deviceCgroupRules = "DeviceCgroupRules", memoryReservation = "MemoryReservation"
        case memorySwap = "MemorySwap", memorySwappiness = "MemorySwappiness", nanoCpus = "NanoCpus"
        case oomKillDisable = "OomKillDisable", pidsLimit = "PidsLimit", ulimits = "Ulimits"
        case binds = "Binds", containerIDFile = "ContainerIDFile", logConfig = "LogConfig", networkMode = "NetworkMode"
        case portBindings = "PortBindings", restartPolicy = "RestartPolicy", autoRemove = "AutoRemove"
        case volumeDriver = "VolumeDriver", volumesFrom = "VolumesFrom", mounts = "Mounts", consoleSize = "ConsoleSize"
        case capAdd = "CapAdd", capDrop = "CapDrop", cgroupnsMode = "CgroupnsMode", dns = "Dns", dnsOptions = "DnsOptions"
        case dnsSearch = "DnsSearch", extraHosts = "ExtraHosts", groupAdd = "GroupAdd", ipcMode = "IpcMode", cgroup = "Cgroup"
        case links = "Links", oomScoreAdj = "OomScoreAdj", pidMode = "PidMode", privileged = "Privileged"
        case publishAllPorts = "PublishAllPorts", readonlyRootfs = "ReadonlyRootfs", securityOpt = "SecurityOpt"
        case storageOpt = "StorageOpt", tmpfs = "Tmpfs", utsMode = "UTSMode", usernsMode = "UsernsMode", shmSize = "ShmSize"
        case sysctls = "Sysctls", runtime = "Runtime", isolation = "Isolation", maskedPaths = "MaskedPaths"
        case readonlyPaths = "ReadonlyPaths", initProcess = "Init"
    }

    public init() {}
}

/// One `--ulimit name=soft:hard`.
public struct Ulimit: Codable, Sendable, Equatable {
    public var name: String
    public var soft: Int64
    public var hard: Int64
    enum CodingKeys: String, CodingKey { case name = "Name", soft = "Soft", hard = "Hard" }
    public init(name: String, soft: Int64, hard: Int64) { self.name = name; self.soft = soft; self.hard = hard }
}

/// One `--device host:container:perms`.
public struct DeviceMapping: Codable, Sendable, Equatable {
    public var pathOnHost: String?
    public var pathInContainer: String?
    public var cgroupPermissions: String?
    enum CodingKeys: String, CodingKey {
        case pathOnHost = "PathOnHost", pathInContainer = "PathInContainer", cgroupPermissions = "CgroupPermissions"
    }
    public init(pathOnHost: String? = nil, pathInContainer: String? = nil, cgroupPermissions: String? = nil) {
        self.pathOnHost = pathOnHost; self.pathInContainer = pathInContainer; self.cgroupPermissions = cgroupPermissions
    }
}

/// `--log-driver`/`--log-opt`.
public struct LogConfig: Codable, Sendable, Equatable {
    public var type: String?
    public var config: [String: String]?
    enum CodingKeys: String, CodingKey { case type = "Type", config = "Config" }
    public init(type: String? = nil, config: [String: String]? = nil) { self.type = type; self.config = config }
}

/// One host side of a published port.
public struct PortBinding: Codable, Sendable, Equatable {
    public var hostIp: String?
    public var hostPort: String?
    enum CodingKeys: String, CodingKey { case hostIp = "HostIp", hostPort = "HostPort" }
    public init(hostIp: String? = nil, hostPort: String? = nil) { self.hostIp = hostIp; self.hostPort = hostPort }
}

/// `--restart no|on-failure[:N]|always|unless-stopped`.
public struct RestartPolicy: Codable, Sendable, Equatable {
    public var name: String?
    public var maximumRetryCount: Int?
    enum CodingKeys: String, CodingKey { case name = "Name", maximumRetryCount = "MaximumRetryCount" }
    public init(name: String? = nil, maximumRetryCount: Int? = nil) { self.name = name; self.maximumRetryCount = maximumRetryCount }
}

/// One `--mount` (also used in inspect's `Mounts` with a different shape: see `MountPoint`).
public struct Mount: Codable, Sendable, Equatable {
    public var target: String?
    public var source: String?
    public var type: String?
    public var readOnly: Bool?
    public var consistency: String?
    public var bindOptions: BindOptions?
    public var volumeOptions: VolumeOptions?
    public var tmpfsOptions: TmpfsOptions?
    enum CodingKeys: String, CodingKey {
        case target = "Target", source = "Source", type = "Type", readOnly = "ReadOnly", consistency = "Consistency"
        case bindOptions = "BindOptions", volumeOptions = "VolumeOptions", tmpfsOptions = "TmpfsOptions"
    }
    public init(target: String? = nil, source: String? = nil, type: String? = nil, readOnly: Bool? = nil) {
        self.target = target; self.source = source; self.type = type; self.readOnly = readOnly
    }

    public struct BindOptions: Codable, Sendable, Equatable {
        public var propagation: String?
        public var nonRecursive: Bool?
        public var createMountpoint: Bool?
        enum CodingKeys: String, CodingKey {
            case propagation = "Propagation", nonRecursive = "NonRecursive", createMountpoint = "CreateMountpoint"
        }
        public init() {}
    }
    public struct VolumeOptions: Codable, Sendable, Equatable {
        public var noCopy: Bool?
        public var labels: [String: String]?
        public var subpath: String?
        enum CodingKeys: String, CodingKey { case noCopy = "NoCopy", labels = "Labels", subpath = "Subpath" }
        public init() {}
    }
    public struct TmpfsOptions: Codable, Sendable, Equatable {
        public var sizeBytes: Int64?
        public var mode: UInt32?
        enum CodingKeys: String, CodingKey { case sizeBytes = "SizeBytes", mode = "Mode" }
        public init(sizeBytes: Int64? = nil, mode: UInt32? = nil) { self.sizeBytes = sizeBytes; self.mode = mode }
    }
}
