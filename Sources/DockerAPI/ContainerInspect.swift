/// `GET /containers/{id}/json`.
public struct ContainerInspect: Codable, Sendable, Equatable {
    public var id: String
    public var created: String
    public var path: String
    public var args: [String]
    public var state: ContainerState
    public var image: String
    public var resolvConfPath: String
    public var hostnamePath: String
    public var hostsPath: String
    public var logPath: String
    public var name: String
    public var restartCount: Int
    public var driver: String
    public var platform: String
    public var mountLabel: String
    public var processLabel: String
    public var appArmorProfile: String
    public var execIDs: [String]?
    public var hostConfig: HostConfig
    public var graphDriver: GraphDriver
    public var sizeRw: Int64?
    public var sizeRootFs: Int64?
    public var mounts: [MountPoint]
    public var config: ContainerConfig
    public var networkSettings: NetworkSettings

    enum CodingKeys: String, CodingKey {
        case id = "Id", created = "Created", path = "Path", args = "Args", state = "State", image = "Image"
        case resolvConfPath = "ResolvConfPath", hostnamePath = "HostnamePath", hostsPath = "HostsPath", logPath = "LogPath"
        case name = "Name", restartCount = "RestartCount", driver = "Driver", platform = "Platform"
        case mountLabel = "MountLabel", processLabel = "ProcessLabel", appArmorProfile = "AppArmorProfile"
        case execIDs = "ExecIDs", hostConfig = "HostConfig", graphDriver = "GraphDriver", sizeRw = "SizeRw"
        case sizeRootFs = "SizeRootFs", mounts = "Mounts", config = "Config", networkSettings = "NetworkSettings"
    }

    public init(
        id: String, created: String, path: String, args: [String], state: ContainerState, image: String,
        resolvConfPath: String = "", hostnamePath: String = "", hostsPath: String = "", logPath: String = "",
        name: String, restartCount: Int = 0, driver: String = "overlay2", platform: String = "linux",
        execIDs: [String]? = nil, hostConfig: HostConfig, graphDriver: GraphDriver = GraphDriver(),
        mounts: [MountPoint] = [], config: ContainerConfig, networkSettings: NetworkSettings = NetworkSettings()
    ) {
        self.id = id; self.created = created; self.path = path; self.args = args; self.state = state; self.image = image
        self.resolvConfPath = resolvConfPath; self.hostnamePath = hostnamePath; self.hostsPath = hostsPath
        self.logPath = logPath; self.name = name; self.restartCount = restartCount; self.driver = driver
        self.platform = platform; self.mountLabel = ""; self.processLabel = ""; self.appArmorProfile = ""
        self.execIDs = execIDs; self.hostConfig = hostConfig; self.graphDriver = graphDriver; self.mounts = mounts
        self.config = config; self.networkSettings = networkSettings
    }
}

/// `State` of a container in inspect.
public struct ContainerState: Codable, Sendable, Equatable {
    public var status: String
    public var running: Bool
    public var paused: Bool
    public var restarting: Bool
    public var oomKilled: Bool
    public var dead: Bool
    public var pid: Int
    public var exitCode: Int
    public var error: String
    public var startedAt: String
    public var finishedAt: String
    enum CodingKeys: String, CodingKey {
        case status = "Status", running = "Running", paused = "Paused", restarting = "Restarting"
        case oomKilled = "OOMKilled", dead = "Dead", pid = "Pid", exitCode = "ExitCode", error = "Error"
        case startedAt = "StartedAt", finishedAt = "FinishedAt"
    }
    public init(
        status: String, running: Bool = false, paused: Bool = false, restarting: Bool = false, oomKilled: Bool = false,
        dead: Bool = false, pid: Int = 0, exitCode: Int = 0, error: String = "",
        startedAt: String = "0001-01-01T00:00:00Z", finishedAt: String = "0001-01-01T00:00:00Z"
    ) {
        self.status = status; self.running = running; self.paused = paused; self.restarting = restarting
        self.oomKilled = oomKilled; self.dead = dead; self.pid = pid; self.exitCode = exitCode; self.error = error
        self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}

/// `GraphDriver` in inspect: where the container's filesystem lives.
public struct GraphDriver: Codable, Sendable, Equatable {
    public var name: String
    public var data: [String: String]?
    enum CodingKeys: String, CodingKey { case name = "Name", data = "Data" }
    public init(name: String = "overlay2", data: [String: String]? = nil) { self.name = name; self.data = data }
}

/// One entry of inspect's `Mounts`.
public struct MountPoint: Codable, Sendable, Equatable {
    public var type: String
    public var name: String?
    public var source: String
    public var destination: String
    public var driver: String?
    public var mode: String
    public var rw: Bool
    public var propagation: String
    enum CodingKeys: String, CodingKey {
        case type = "Type", name = "Name", source = "Source", destination = "Destination", driver = "Driver"
        case mode = "Mode", rw = "RW", propagation = "Propagation"
    }
    public init(type: String, name: String? = nil, source: String, destination: String, driver: String? = nil,
                mode: String = "", rw: Bool = true, propagation: String = "") {
        self.type = type; self.name = name; self.source = source; self.destination = destination
        self.driver = driver; self.mode = mode; self.rw = rw; self.propagation = propagation
    }
}

/// `NetworkSettings` in inspect.
public struct NetworkSettings: Codable, Sendable, Equatable {
    public var bridge: String
    public var sandboxID: String
    public var sandboxKey: String
    public var ports: [String: [PortBinding]?]
    public var ipAddress: String
    public var ipPrefixLen: Int
    public var gateway: String
    public var macAddress: String
    public var networks: [String: EndpointSettings]
    enum CodingKeys: String, CodingKey {
        case bridge = "Bridge", sandboxID = "SandboxID", sandboxKey = "SandboxKey", ports = "Ports"
        case ipAddress = "IPAddress", ipPrefixLen = "IPPrefixLen", gateway = "Gateway", macAddress = "MacAddress"
        case networks = "Networks"
    }
    public init(sandboxKey: String = "", ports: [String: [PortBinding]?] = [:], ipAddress: String = "", ipPrefixLen: Int = 0,
                gateway: String = "", macAddress: String = "", networks: [String: EndpointSettings] = [:]) {
        self.bridge = ""; self.sandboxID = ""; self.sandboxKey = sandboxKey; self.ports = ports
        self.ipAddress = ipAddress; self.ipPrefixLen = ipPrefixLen; self.gateway = gateway
        self.macAddress = macAddress; self.networks = networks
    }
}
