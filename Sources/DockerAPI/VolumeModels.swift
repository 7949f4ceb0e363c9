/// Volume models of the Docker Engine API.

/// `GET /volumes/{name}` and one entry of the volume list.
public struct Volume: Codable, Sendable, Equatable {
    public var name: String
    public var driver: String
    public var mountpoint: String
    /// RFC 3339.
    public var createdAt: String?
    public var status: [String: String]?
    public var labels: [String: String]
    /// `local` or `global`.
    public var scope: String
    public var options: [String: String]
    /// Only set by `GET /system/df`.
    public var usageData: UsageData?

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", mountpoint = "Mountpoint", createdAt = "CreatedAt", status = "Status"
        case labels = "Labels", scope = "Scope", options = "Options", usageData = "UsageData"
    }

    public init(name: String, driver: String = "local", mountpoint: String, createdAt: String? = nil,
                labels: [String: String] = [:], scope: String = "local", options: [String: String] = [:],
                usageData: UsageData? = nil) {
        self.name = name; self.driver = driver; self.mountpoint = mountpoint; self.createdAt = createdAt
        self.labels = labels; self.scope = scope; self.options = options; self.usageData = usageData
    }

    /// Tolerates missing keys and nulls (docker sends `"Labels": null`, `"Options": null`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.opt(String.self, .name) ?? ""
        driver = try c.opt(String.self, .driver) ?? "local"
        mountpoint = try c.opt(String.self, .mountpoint) ?? ""
        createdAt = try c.opt(String.self, .createdAt)
        status = try c.opt([String: String].self, .status)
        labels = try c.opt([String: String].self, .labels) ?? [:]
        scope = try c.opt(String.self, .scope) ?? "local"
        options = try c.opt([String: String].self, .options) ?? [:]
        usageData = try c.opt(UsageData.self, .usageData)
    }

    /// Disk usage of a volume: -1 when not computed.
    public struct UsageData: Codable, Sendable, Equatable {
        public var size: Int64
        public var refCount: Int64
        enum CodingKeys: String, CodingKey { case size = "Size", refCount = "RefCount" }
        public init(size: Int64 = -1, refCount: Int64 = -1) { self.size = size; self.refCount = refCount }
    }
}

/// `GET /volumes`.
public struct VolumeListResponse: Codable, Sendable, Equatable {
    public var volumes: [Volume]
    public var warnings: [String]?
    enum CodingKeys: String, CodingKey { case volumes = "Volumes", warnings = "Warnings" }
    public init(volumes: [Volume] = [], warnings: [String]? = nil) { self.volumes = volumes; self.warnings = warnings }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumes = try c.opt([Volume].self, .volumes) ?? []
        warnings = try c.opt([String].self, .warnings)
    }
}

/// The body of `POST /volumes/create`.
public struct VolumeCreateOptions: Codable, Sendable, Equatable {
    public var name: String?
    public var driver: String?
    public var driverOpts: [String: String]?
    public var labels: [String: String]?
    enum CodingKeys: String, CodingKey { case name = "Name", driver = "Driver", driverOpts = "DriverOpts", labels = "Labels" }
    public init(name: String? = nil, driver: String? = nil, driverOpts: [String: String]? = nil, labels: [String: String]? = nil) {
        self.name = name; self.driver = driver; self.driverOpts = driverOpts; self.labels = labels
    }
}

/// `POST /volumes/prune`.
public struct VolumePruneResponse: Codable, Sendable, Equatable {
    public var volumesDeleted: [String]?
    public var spaceReclaimed: Int64
    enum CodingKeys: String, CodingKey { case volumesDeleted = "VolumesDeleted", spaceReclaimed = "SpaceReclaimed" }
    public init(volumesDeleted: [String]? = nil, spaceReclaimed: Int64 = 0) {
        self.volumesDeleted = volumesDeleted; self.spaceReclaimed = spaceReclaimed
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumesDeleted = try c.opt([String].self, .volumesDeleted)
        spaceReclaimed = try c.opt(Int64.self, .spaceReclaimed) ?? 0
    }
}
