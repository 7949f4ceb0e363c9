/// Docker's container `Config`: what runs, independent of the host (API field names).
public struct ContainerConfig: Codable, Sendable, Equatable {
    public var hostname: String?
    public var domainname: String?
    public var user: String?
    public var attachStdin: Bool?
    public var attachStdout: Bool?
    public var attachStderr: Bool?
    public var exposedPorts: [String: EmptyObject]?
    public var tty: Bool?
    public var openStdin: Bool?
    public var stdinOnce: Bool?
    public var env: [String]?
    public var cmd: [String]?
    public var healthcheck: HealthConfig?
    public var argsEscaped: Bool?
    public var image: String?
    public var volumes: [String: EmptyObject]?
    public var workingDir: String?
    public var entrypoint: [String]?
    public var networkDisabled: Bool?
    public var onBuild: [String]?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var stopTimeout: Int?
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case hostname = "Hostname", domainname = "Domainname", user = "User"
        case attachStdin = "AttachStdin", attachStdout = "AttachStdout", attachStderr = "AttachStderr"
        case exposedPorts = "ExposedPorts", tty = "Tty", openStdin = "OpenStdin", stdinOnce = "StdinOnce"
        case env = "Env", cmd = "Cmd", healthcheck = "Healthcheck", argsEscaped = "ArgsEscaped"
        case image = "Image", volumes = "Volumes", workingDir = "WorkingDir", entrypoint = "Entrypoint"
        case networkDisabled = "NetworkDisabled", onBuild = "OnBuild", labels = "Labels"
        case stopSignal = "StopSignal", stopTimeout = "StopTimeout", shell = "Shell"
    }

    public init() {}

    /// Docker accepts `Cmd`/`Entrypoint` as a string too (split like a shell would not: one element).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try c.opt(String.self, .hostname)
        domainname = try c.opt(String.self, .domainname)
        user = try c.opt(String.self, .user)
        attachStdin = try c.opt(Bool.self, .attachStdin)
        attachStdout = try c.opt(Bool.self, .attachStdout)
        attachStderr = try c.opt(Bool.self, .attachStderr)
        exposedPorts = try c.opt([String: EmptyObject].self, .exposedPorts)
        tty = try c.opt(Bool.self, .tty)
        openStdin = try c.opt(Bool.self, .openStdin)
        stdinOnce = try c.opt(Bool.self, .stdinOnce)
        env = try c.opt([String].self, .env)
        cmd = try Self.decodeStrings(c, .cmd)
        healthcheck = try c.opt(HealthConfig.self, .healthcheck)
        argsEscaped = try c.opt(Bool.self, .argsEscaped)
        image = try c.opt(String.self, .image)
        volumes = try c.opt([String: EmptyObject].self, .volumes)
        workingDir = try c.opt(String.self, .workingDir)
        entrypoint = try Self.decodeStrings(c, .entrypoint)
        networkDisabled = try c.opt(Bool.self, .networkDisabled)
        onBuild = try c.opt([String].self, .onBuild)
        labels = try c.opt([String: String].self, .labels)
        stopSignal = try c.opt(String.self, .stopSignal)
        stopTimeout = try c.opt(Int.self, .stopTimeout)
        shell = try c.opt([String].self, .shell)
    }

    static func decodeStrings(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        if let one = try? c.decodeIfPresent(String.self, forKey: key) { return [one] }
        return try c.decodeIfPresent([String].self, forKey: key)
    }
}

/// Docker's `HealthConfig` (kept and reported; health checks are not run yet).
public struct HealthConfig: Codable, Sendable, Equatable {
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var retries: Int?
    public var startPeriod: Int64?
    enum CodingKeys: String, CodingKey {
        case test = "Test", interval = "Interval", timeout = "Timeout", retries = "Retries", startPeriod = "StartPeriod"
    }
    public init() {}
}
