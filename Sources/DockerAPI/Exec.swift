/// `POST /containers/{id}/exec`.
public struct ExecCreateRequest: Codable, Sendable, Equatable {
    public var attachStdin: Bool?
    public var attachStdout: Bool?
    public var attachStderr: Bool?
    public var consoleSize: [Int]?
    public var detachKeys: String?
    public var tty: Bool?
    public var env: [String]?
    public var cmd: [String]?
    public var privileged: Bool?
    public var user: String?
    public var workingDir: String?
    enum CodingKeys: String, CodingKey {
        case attachStdin = "AttachStdin", attachStdout = "AttachStdout", attachStderr = "AttachStderr"
        case consoleSize = "ConsoleSize", detachKeys = "DetachKeys", tty = "Tty", env = "Env", cmd = "Cmd"
        case privileged = "Privileged", user = "User", workingDir = "WorkingDir"
    }
    public init(cmd: [String]? = nil) { self.cmd = cmd }
}

/// `POST /exec/{id}/start`.
public struct ExecStartRequest: Codable, Sendable, Equatable {
    public var detach: Bool?
    public var tty: Bool?
    public var consoleSize: [Int]?
    enum CodingKeys: String, CodingKey { case detach = "Detach", tty = "Tty", consoleSize = "ConsoleSize" }
    public init(detach: Bool? = nil, tty: Bool? = nil) { self.detach = detach; self.tty = tty }
}

/// `GET /exec/{id}/json`.
public struct ExecInspect: Codable, Sendable, Equatable {
    public var canRemove: Bool
    public var detachKeys: String
    public var id: String
    public var running: Bool
    public var exitCode: Int?
    public var processConfig: ProcessConfig
    public var openStdin: Bool
    public var openStderr: Bool
    public var openStdout: Bool
    public var containerID: String
    public var pid: Int
    enum CodingKeys: String, CodingKey {
        case canRemove = "CanRemove", detachKeys = "DetachKeys", id = "ID", running = "Running", exitCode = "ExitCode"
        case processConfig = "ProcessConfig", openStdin = "OpenStdin", openStderr = "OpenStderr"
        case openStdout = "OpenStdout", containerID = "ContainerID", pid = "Pid"
    }
    public init(id: String, running: Bool, exitCode: Int?, processConfig: ProcessConfig, openStdin: Bool,
                openStderr: Bool, openStdout: Bool, containerID: String, pid: Int) {
        self.canRemove = false; self.detachKeys = ""; self.id = id; self.running = running; self.exitCode = exitCode
        self.processConfig = processConfig; self.openStdin = openStdin; self.openStderr = openStderr
        self.openStdout = openStdout; self.containerID = containerID; self.pid = pid
    }
    public struct ProcessConfig: Codable, Sendable, Equatable {
        public var privileged: Bool
        public var user: String
        public var tty: Bool
        public var entrypoint: String
        public var arguments: [String]
        public init(privileged: Bool, user: String, tty: Bool, entrypoint: String, arguments: [String]) {
            self.privileged = privileged; self.user = user; self.tty = tty; self.entrypoint = entrypoint; self.arguments = arguments
        }
    }
}
