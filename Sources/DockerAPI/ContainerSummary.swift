/// One entry of `GET /containers/json`.
public struct ContainerSummary: Codable, Sendable, Equatable {
    public var id: String
    public var names: [String]
    public var image: String
    public var imageID: String
    public var command: String
    public var created: Int64
    public var ports: [Port]
    public var sizeRw: Int64?
    public var sizeRootFs: Int64?
    public var labels: [String: String]
    public var state: String
    public var status: String
    public var hostConfig: SummaryHostConfig
    public var networkSettings: SummaryNetworkSettings
    public var mounts: [MountPoint]

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", imageID = "ImageID", command = "Command", created = "Created"
        case ports = "Ports", sizeRw = "SizeRw", sizeRootFs = "SizeRootFs", labels = "Labels", state = "State"
        case status = "Status", hostConfig = "HostConfig", networkSettings = "NetworkSettings", mounts = "Mounts"
    }

    public init(id: String, names: [String], image: String, imageID: String, command: String, created: Int64,
                ports: [Port] = [], labels: [String: String] = [:], state: String, status: String,
                networkMode: String = "default", networks: [String: EndpointSettings] = [:], mounts: [MountPoint] = []) {
        self.id = id; self.names = names; self.image = image; self.imageID = imageID; self.command = command
        self.created = created; self.ports = ports; self.labels = labels; self.state = state; self.status = status
        self.hostConfig = SummaryHostConfig(networkMode: networkMode)
        self.networkSettings = SummaryNetworkSettings(networks: networks); self.mounts = mounts
    }

    /// A published or exposed port in the list view.
    public struct Port: Codable, Sendable, Equatable {
        public var ip: String?
        public var privatePort: Int
        public var publicPort: Int?
        public var type: String
        enum CodingKeys: String, CodingKey { case ip = "IP", privatePort = "PrivatePort", publicPort = "PublicPort", type = "Type" }
        public init(ip: String? = nil, privatePort: Int, publicPort: Int? = nil, type: String) {
            self.ip = ip; self.privatePort = privatePort; self.publicPort = publicPort; self.type = type
        }
    }
    public struct SummaryHostConfig: Codable, Sendable, Equatable {
        public var networkMode: String
        enum CodingKeys: String, CodingKey { case networkMode = "NetworkMode" }
        public init(networkMode: String) { self.networkMode = networkMode }
    }
    public struct SummaryNetworkSettings: Codable, Sendable, Equatable {
        public var networks: [String: EndpointSettings]
        enum CodingKeys: String, CodingKey { case networks = "Networks" }
        public init(networks: [String: EndpointSettings]) { self.networks = networks }
    }
}

/// `POST /containers/{id}/wait`.
public struct WaitResponse: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var error: WaitError?
    enum CodingKeys: String, CodingKey { case statusCode = "StatusCode", error = "Error" }
    public init(statusCode: Int, error: WaitError? = nil) { self.statusCode = statusCode; self.error = error }
    public struct WaitError: Codable, Sendable, Equatable {
        public var message: String
        enum CodingKeys: String, CodingKey { case message = "Message" }
        public init(message: String) { self.message = message }
    }
}

/// `GET /containers/{id}/top`.
public struct TopResponse: Codable, Sendable, Equatable {
    public var titles: [String]
    public var processes: [[String]]
    enum CodingKeys: String, CodingKey { case titles = "Titles", processes = "Processes" }
    public init(titles: [String], processes: [[String]]) { self.titles = titles; self.processes = processes }
}

/// `GET /containers/{id}/changes`: Kind 0 modified, 1 added, 2 deleted.
public struct ContainerChange: Codable, Sendable, Equatable {
    public var path: String
    public var kind: Int
    enum CodingKeys: String, CodingKey { case path = "Path", kind = "Kind" }
    public init(path: String, kind: Int) { self.path = path; self.kind = kind }
}

/// `POST /containers/prune`.
public struct ContainerPruneResponse: Codable, Sendable, Equatable {
    public var containersDeleted: [String]?
    public var spaceReclaimed: Int64
    enum CodingKeys: String, CodingKey { case containersDeleted = "ContainersDeleted", spaceReclaimed = "SpaceReclaimed" }
    public init(containersDeleted: [String]?, spaceReclaimed: Int64) { self.containersDeleted = containersDeleted; self.spaceReclaimed = spaceReclaimed }
}
