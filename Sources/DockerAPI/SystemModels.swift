/// System models of the Docker Engine API: version, info, disk usage.

/// `GET /version`.
public struct SystemVersion: Codable, Sendable, Equatable {
    public var platform: Platform?
    public var components: [Component]?
    public var version: String
    public var apiVersion: String
    public var minAPIVersion: String?
    public var gitCommit: String?
    public var goVersion: String?
    public var os: String?
    public var arch: String?
    public var kernelVersion: String?
    public var experimental: Bool?
    public var buildTime: String?

    enum CodingKeys: String, CodingKey {
        case platform = "Platform", components = "Components", version = "Version", apiVersion = "ApiVersion"
        case minAPIVersion = "MinAPIVersion", gitCommit = "GitCommit", goVersion = "GoVersion", os = "Os", arch = "Arch"
        case kernelVersion = "KernelVersion", experimental = "Experimental", buildTime = "BuildTime"
    }

    public init(platform: Platform? = nil, components: [Component]? = nil, version: String, apiVersion: String,
                minAPIVersion: String? = nil, gitCommit: String? = nil, goVersion: String? = nil, os: String? = nil,
                arch: String? = nil, kernelVersion: String? = nil, experimental: Bool? = nil, buildTime: String? = nil) {
        self.platform = platform; self.components = components; self.version = version; self.apiVersion = apiVersion
        self.minAPIVersion = minAPIVersion; self.gitCommit = gitCommit; self.goVersion = goVersion; self.os = os
        self.arch = arch; self.kernelVersion = kernelVersion; self.experimental = experimental; self.buildTime = buildTime
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        platform = try c.opt(Platform.self, .platform)
        components = try c.opt([Component].self, .components)
        version = try c.opt(String.self, .version) ?? ""
        apiVersion = try c.opt(String.self, .apiVersion) ?? ""
        minAPIVersion = try c.opt(String.self, .minAPIVersion)
        gitCommit = try c.opt(String.self, .gitCommit)
        goVersion = try c.opt(String.self, .goVersion)
        os = try c.opt(String.self, .os)
        arch = try c.opt(String.self, .arch)
        kernelVersion = try c.opt(String.self, .kernelVersion)
        experimental = try c.opt(Bool.self, .experimental)
        buildTime = try c.opt(String.self, .buildTime)
    }

    /// The product name (`Berth Engine`).
    public struct Platform: Codable, Sendable, Equatable {
        public var name: String
        enum CodingKeys: String, CodingKey { case name = "Name" }
        public init(name: String) { self.name = name }
    }

    /// One server component (`Engine`, `runtime`, …) with free-form details.
    public struct Component: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var details: [String: String]?
        enum CodingKeys: String, CodingKey { case name = "Name", version = "Version", details = "Details" }
        public init(name: String, version: String, details: [String: String]? = nil) {
            self.name = name; self.version = version; self.details = details
        }
    }
}

/// `GET /info`: the fields `docker info` prints (all optional: daemons differ).
public struct SystemInfo: Codable, Sendable, Equatable {
    public var id: String?
    public var containers: Int?
    public var containersRunning: Int?
    public var containersPaused: Int?
    public var containersStopped: Int?
    public var images: Int?
    public var driver: String?
    /// Pairs of `[name, value]`.
    public var driverStatus: [[String]]?
    public var dockerRootDir: String?
    public var plugins: Plugins?
    public var memoryLimit: Bool?
    public var swapLimit: Bool?
    public var cpuCfsPeriod: Bool?
    public var cpuCfsQuota: Bool?
    public var cpuShares: Bool?
    public var cpuSet: Bool?
    public var pidsLimit: Bool?
    public var oomKillDisable: Bool?
    public var debug: Bool?
    public var nFd: Int?
    public var nGoroutines: Int?
    public var systemTime: String?
    public var loggingDriver: String?
    public var cgroupDriver: String?
    public var cgroupVersion: String?
    public var nEventsListener: Int?
    public var kernelVersion: String?
    public var operatingSystem: String?
    public var osVersion: String?
    public var osType: String?
    public var architecture: String?
    public var ncpu: Int?
    public var memTotal: Int64?
    public var indexServerAddress: String?
    public var httpProxy: String?
    public var httpsProxy: String?
    public var noProxy: String?
    public var name: String?
    public var labels: [String]?
    public var experimentalBuild: Bool?
    public var serverVersion: String?
    public var runtimes: [String: Runtime]?
    public var defaultRuntime: String?
    public var liveRestoreEnabled: Bool?
    public var isolation: String?
    public var initBinary: String?
    public var containerdCommit: Commit?
    public var runcCommit: Commit?
    public var initCommit: Commit?
    public var securityOptions: [String]?
    public var productLicense: String?
    public var cdiSpecDirs: [String]?
    public var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case id = "ID", containers = "Containers", containersRunning = "ContainersRunning"
        case containersPaused = "ContainersPaused", containersStopped = "ContainersStopped", images = "Images"
        case driver = "Driver", driverStatus = "DriverStatus", dockerRootDir = "DockerRootDir", plugins = "Plugins"
        case memoryLimit = "MemoryLimit", swapLimit = "SwapLimit", cpuCfsPeriod = "CpuCfsPeriod"
        case cpuCfsQuota = "CpuCfsQuota", cpuShares = "CPUShares", cpuSet = "CPUSet", pidsLimit = "PidsLimit"
        case oomKillDisable = "OomKillDisable", debug = "Debug", nFd = "NFd", nGoroutines = "NGoroutines"
        case systemTime = "SystemTime", loggingDriver = "LoggingDriver", cgroupDriver = "CgroupDriver"
        case cgroupVersion = "CgroupVersion", nEventsListener = "NEventsListener", kernelVersion = "KernelVersion"
        case operatingSystem = "OperatingSystem", osVersion = "OSVersion", osType = "OSType"
        case architecture = "Architecture", ncpu = "NCPU", memTotal = "MemTotal"
        case indexServerAddress = "IndexServerAddress", httpProxy = "HttpProxy", httpsProxy = "HttpsProxy"
        case noProxy = "NoProxy", name = "Name", labels = "Labels", experimentalBuild = "ExperimentalBuild"
        case serverVersion = "ServerVersion", runtimes = "Runtimes", defaultRuntime = "DefaultRuntime"
        case liveRestoreEnabled = "LiveRestoreEnabled", isolation = "Isolation", initBinary = "InitBinary"
        case containerdCommit = "ContainerdCommit", runcCommit = "RuncCommit", initCommit = "InitCommit"
        case securityOptions = "SecurityOptions", productLicense = "ProductLicense", cdiSpecDirs = "CDISpecDirs"
        case warnings = "Warnings"
    }

    public init() {}

    /// Installed plugins by kind.
    public struct Plugins: Codable, Sendable, Equatable {
        public var volume: [String]?
        public var network: [String]?
        public var authorization: [String]?
        public var log: [String]?
        enum CodingKeys: String, CodingKey { case volume = "Volume", network = "Network", authorization = "Authorization", log = "Log" }
        public init(volume: [String]? = nil, network: [String]? = nil, authorization: [String]? = nil, log: [String]? = nil) {
            self.volume = volume; self.network = network; self.authorization = authorization; self.log = log
        }
    }

    /// An OCI runtime the daemon can use.
    public struct Runtime: Codable, Sendable, Equatable {
        public var path: String?
        public var runtimeArgs: [String]?
        public init(path: String? = nil, runtimeArgs: [String]? = nil) { self.path = path; self.runtimeArgs = runtimeArgs }
    }

    /// A component's commit.
    public struct Commit: Codable, Sendable, Equatable {
        public var id: String?
        enum CodingKeys: String, CodingKey { case id = "ID" }
        public init(id: String? = nil) { self.id = id }
    }
}

/// `GET /system/df`.
public struct SystemDataUsage: Codable, Sendable, Equatable {
    public var layersSize: Int64
    public var images: [ImageSummary]
    public var containers: [ContainerSummary]
    public var volumes: [Volume]
    public var buildCache: [BuildCacheRecord]

    enum CodingKeys: String, CodingKey {
        case layersSize = "LayersSize", images = "Images", containers = "Containers", volumes = "Volumes"
        case buildCache = "BuildCache"
    }

    public init(layersSize: Int64 = 0, images: [ImageSummary] = [], containers: [ContainerSummary] = [],
                volumes: [Volume] = [], buildCache: [BuildCacheRecord] = []) {
        self.layersSize = layersSize; self.images = images; self.containers = containers; self.volumes = volumes
        self.buildCache = buildCache
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layersSize = try c.opt(Int64.self, .layersSize) ?? 0
        images = try c.opt([ImageSummary].self, .images) ?? []
        containers = try c.opt([ContainerSummary].self, .containers) ?? []
        volumes = try c.opt([Volume].self, .volumes) ?? []
        buildCache = try c.opt([BuildCacheRecord].self, .buildCache) ?? []
    }

    /// One build cache record (only its size and use matter to `system df`).
    public struct BuildCacheRecord: Codable, Sendable, Equatable {
        public var id: String
        public var type: String?
        public var size: Int64
        public var inUse: Bool
        public var shared: Bool
        enum CodingKeys: String, CodingKey { case id = "ID", type = "Type", size = "Size", inUse = "InUse", shared = "Shared" }
        public init(id: String, type: String? = nil, size: Int64, inUse: Bool = false, shared: Bool = false) {
            self.id = id; self.type = type; self.size = size; self.inUse = inUse; self.shared = shared
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.opt(String.self, .id) ?? ""
            type = try c.opt(String.self, .type)
            size = try c.opt(Int64.self, .size) ?? 0
            inUse = try c.opt(Bool.self, .inUse) ?? false
            shared = try c.opt(Bool.self, .shared) ?? false
        }
    }
}
