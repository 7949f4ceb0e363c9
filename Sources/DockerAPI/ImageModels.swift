/// Image models of the Docker Engine API: list, inspect, history, delete, prune,
/// and the JSON-message stream of pull, load and import.

/// One entry of `GET /images/json`.
public struct ImageSummary: Codable, Sendable, Equatable {
    public var id: String
    public var parentID: String
    public var repoTags: [String]
    public var repoDigests: [String]
    /// Seconds since the epoch.
    public var created: Int64
    public var size: Int64
    /// -1 when not computed (docker's convention).
    public var sharedSize: Int64
    public var labels: [String: String]
    /// -1 when not computed.
    public var containers: Int64

    enum CodingKeys: String, CodingKey {
        case id = "Id", parentID = "ParentId", repoTags = "RepoTags", repoDigests = "RepoDigests"
        case created = "Created", size = "Size", sharedSize = "SharedSize", labels = "Labels", containers = "Containers"
    }

    public init(id: String, parentID: String = "", repoTags: [String] = [], repoDigests: [String] = [], created: Int64,
                size: Int64, sharedSize: Int64 = -1, labels: [String: String] = [:], containers: Int64 = -1) {
        self.id = id; self.parentID = parentID; self.repoTags = repoTags; self.repoDigests = repoDigests
        self.created = created; self.size = size; self.sharedSize = sharedSize; self.labels = labels
        self.containers = containers
    }

    /// Tolerates missing keys and nulls (older daemons send `null` for empty lists).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.opt(String.self, .id) ?? ""
        parentID = try c.opt(String.self, .parentID) ?? ""
        repoTags = try c.opt([String].self, .repoTags) ?? []
        repoDigests = try c.opt([String].self, .repoDigests) ?? []
        created = try c.opt(Int64.self, .created) ?? 0
        size = try c.opt(Int64.self, .size) ?? 0
        sharedSize = try c.opt(Int64.self, .sharedSize) ?? -1
        labels = try c.opt([String: String].self, .labels) ?? [:]
        containers = try c.opt(Int64.self, .containers) ?? -1
    }
}

/// The image's own configuration as inspect shows it (`Config` of `ImageInspect`).
public struct ImageConfig: Codable, Sendable, Equatable {
    public var user: String?
    public var exposedPorts: [String: EmptyObject]?
    public var env: [String]?
    public var cmd: [String]?
    public var healthcheck: HealthConfig?
    public var argsEscaped: Bool?
    public var volumes: [String: EmptyObject]?
    public var workingDir: String?
    public var entrypoint: [String]?
    public var onBuild: [String]?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case user = "User", exposedPorts = "ExposedPorts", env = "Env", cmd = "Cmd", healthcheck = "Healthcheck"
        case argsEscaped = "ArgsEscaped", volumes = "Volumes", workingDir = "WorkingDir", entrypoint = "Entrypoint"
        case onBuild = "OnBuild", labels = "Labels", stopSignal = "StopSignal", shell = "Shell"
    }

    public init(user: String? = nil, env: [String]? = nil, cmd: [String]? = nil, workingDir: String? = nil,
                entrypoint: [String]? = nil, labels: [String: String]? = nil) {
        self.user = user; self.env = env; self.cmd = cmd; self.workingDir = workingDir
        self.entrypoint = entrypoint; self.labels = labels
    }
}

/// `GET /images/{name}/json`.
public struct ImageInspect: Codable, Sendable, Equatable {
    public var id: String
    public var repoTags: [String]
    public var repoDigests: [String]
    /// Deprecated by docker, still sent by older daemons.
    public var parent: String?
    public var comment: String?
    /// RFC 3339 with nanoseconds; absent for images without a creation time.
    public var created: String?
    public var dockerVersion: String?
    public var author: String?
    public var config: ImageConfig?
    public var architecture: String
    public var variant: String?
    public var os: String
    public var osVersion: String?
    public var size: Int64
    public var graphDriver: GraphDriver?
    public var rootFS: RootFS
    public var metadata: Metadata?

    enum CodingKeys: String, CodingKey {
        case id = "Id", repoTags = "RepoTags", repoDigests = "RepoDigests", parent = "Parent", comment = "Comment"
        case created = "Created", dockerVersion = "DockerVersion", author = "Author", config = "Config"
        case architecture = "Architecture", variant = "Variant", os = "Os", osVersion = "OsVersion", size = "Size"
        case graphDriver = "GraphDriver", rootFS = "RootFS", metadata = "Metadata"
    }

    public init(id: String, repoTags: [String] = [], repoDigests: [String] = [], created: String? = nil,
                config: ImageConfig? = nil, architecture: String = "amd64", os: String = "linux", size: Int64 = 0,
                rootFS: RootFS = RootFS(), metadata: Metadata? = nil) {
        self.id = id; self.repoTags = repoTags; self.repoDigests = repoDigests; self.created = created
        self.config = config; self.architecture = architecture; self.os = os; self.size = size
        self.rootFS = rootFS; self.metadata = metadata
    }

    /// Tolerates missing keys and nulls.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.opt(String.self, .id) ?? ""
        repoTags = try c.opt([String].self, .repoTags) ?? []
        repoDigests = try c.opt([String].self, .repoDigests) ?? []
        parent = try c.opt(String.self, .parent)
        comment = try c.opt(String.self, .comment)
        created = try c.opt(String.self, .created)
        dockerVersion = try c.opt(String.self, .dockerVersion)
        author = try c.opt(String.self, .author)
        config = try c.opt(ImageConfig.self, .config)
        architecture = try c.opt(String.self, .architecture) ?? ""
        variant = try c.opt(String.self, .variant)
        os = try c.opt(String.self, .os) ?? ""
        osVersion = try c.opt(String.self, .osVersion)
        size = try c.opt(Int64.self, .size) ?? 0
        graphDriver = try c.opt(GraphDriver.self, .graphDriver)
        rootFS = try c.opt(RootFS.self, .rootFS) ?? RootFS()
        metadata = try c.opt(Metadata.self, .metadata)
    }

    /// `RootFS`: the layer diffIDs.
    public struct RootFS: Codable, Sendable, Equatable {
        public var type: String
        public var layers: [String]?
        enum CodingKeys: String, CodingKey { case type = "Type", layers = "Layers" }
        public init(type: String = "layers", layers: [String]? = nil) { self.type = type; self.layers = layers }
    }

    /// `Metadata`: local bookkeeping (last tag time).
    public struct Metadata: Codable, Sendable, Equatable {
        public var lastTagTime: String?
        enum CodingKeys: String, CodingKey { case lastTagTime = "LastTagTime" }
        public init(lastTagTime: String? = nil) { self.lastTagTime = lastTagTime }
    }
}

/// One entry of `GET /images/{name}/history`.
public struct HistoryItem: Codable, Sendable, Equatable {
    /// The image ID, or `<missing>` for layers without an image of their own.
    public var id: String
    /// Seconds since the epoch.
    public var created: Int64
    public var createdBy: String
    public var tags: [String]
    public var size: Int64
    public var comment: String

    enum CodingKeys: String, CodingKey {
        case id = "Id", created = "Created", createdBy = "CreatedBy", tags = "Tags", size = "Size", comment = "Comment"
    }

    public init(id: String, created: Int64, createdBy: String = "", tags: [String] = [], size: Int64 = 0, comment: String = "") {
        self.id = id; self.created = created; self.createdBy = createdBy; self.tags = tags; self.size = size
        self.comment = comment
    }

    /// Tolerates missing keys and nulls.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.opt(String.self, .id) ?? ""
        created = try c.opt(Int64.self, .created) ?? 0
        createdBy = try c.opt(String.self, .createdBy) ?? ""
        tags = try c.opt([String].self, .tags) ?? []
        size = try c.opt(Int64.self, .size) ?? 0
        comment = try c.opt(String.self, .comment) ?? ""
    }
}

/// One entry of `DELETE /images/{name}`: exactly one of the two fields is set.
public struct ImageDeleteResponseItem: Codable, Sendable, Equatable {
    public var untagged: String?
    public var deleted: String?
    enum CodingKeys: String, CodingKey { case untagged = "Untagged", deleted = "Deleted" }
    public init(untagged: String? = nil, deleted: String? = nil) { self.untagged = untagged; self.deleted = deleted }
}

/// `POST /images/prune`.
public struct ImagePruneResponse: Codable, Sendable, Equatable {
    public var imagesDeleted: [ImageDeleteResponseItem]?
    public var spaceReclaimed: Int64
    enum CodingKeys: String, CodingKey { case imagesDeleted = "ImagesDeleted", spaceReclaimed = "SpaceReclaimed" }
    public init(imagesDeleted: [ImageDeleteResponseItem]? = nil, spaceReclaimed: Int64 = 0) {
        self.imagesDeleted = imagesDeleted; self.spaceReclaimed = spaceReclaimed
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        imagesDeleted = try c.opt([ImageDeleteResponseItem].self, .imagesDeleted)
        spaceReclaimed = try c.opt(Int64.self, .spaceReclaimed) ?? 0
    }
}

/// One line of the JSON-message stream of pull, push, load, import and build:
/// progress (`status`, `progress`, `progressDetail`, `id`), build output
/// (`stream`) or a failure (`error`, `errorDetail`).
public struct JSONMessage: Codable, Sendable, Equatable {
    public var status: String?
    public var progress: String?
    public var progressDetail: ProgressDetail?
    public var id: String?
    public var stream: String?
    public var error: String?
    public var errorDetail: ErrorDetail?
    /// Present on the final line of a build or commit-like stream (`{"aux": {"ID": ...}}`).
    public var aux: Aux?
    /// Berth's addition to build messages: the step a `stream` text starts, takes from the cache or
    /// finishes (docker's clients ignore the field and print the text as before).
    public var berthStep: BuildStepStatus?

    public init(status: String? = nil, progress: String? = nil, progressDetail: ProgressDetail? = nil, id: String? = nil,
                stream: String? = nil, error: String? = nil, errorDetail: ErrorDetail? = nil, aux: Aux? = nil,
                berthStep: BuildStepStatus? = nil) {
        self.status = status; self.progress = progress; self.progressDetail = progressDetail; self.id = id
        self.stream = stream; self.error = error; self.errorDetail = errorDetail; self.aux = aux; self.berthStep = berthStep
    }

    /// Byte counts of one transfer.
    public struct ProgressDetail: Codable, Sendable, Equatable {
        public var current: Int64?
        public var total: Int64?
        public init(current: Int64? = nil, total: Int64? = nil) { self.current = current; self.total = total }
    }

    /// The structured form of `error`.
    public struct ErrorDetail: Codable, Sendable, Equatable {
        public var code: Int?
        public var message: String?
        public init(code: Int? = nil, message: String? = nil) { self.code = code; self.message = message }
    }

    /// Auxiliary result (an image ID; or a pushed tag's digest and manifest size).
    public struct Aux: Codable, Sendable, Equatable {
        public var id: String?
        /// The tag a push sent.
        public var tag: String?
        /// The pushed manifest's digest.
        public var digest: String?
        /// The pushed manifest's size.
        public var size: Int64?
        enum CodingKeys: String, CodingKey { case id = "ID", tag = "Tag", digest = "Digest", size = "Size" }
        public init(id: String? = nil, tag: String? = nil, digest: String? = nil, size: Int64? = nil) {
            self.id = id; self.tag = tag; self.digest = digest; self.size = size
        }
    }
}
