/// Run defaults of an image (`config` in the image JSON), with Docker's extensions (Healthcheck, OnBuild, Shell).
public struct ContainerConfig: Codable, Sendable, Equatable {
    /// User name or UID, optionally `:group`.
    public var user: String?
    /// Ports to expose, `80/tcp` → `{}`.
    public var exposedPorts: [String: EmptyObject]?
    /// Environment, `KEY=value`.
    public var env: [String]?
    /// Command prefix.
    public var entrypoint: [String]?
    /// Default arguments (or the command, when there is no entrypoint).
    public var cmd: [String]?
    /// Paths that should be volumes, `/data` → `{}`.
    public var volumes: [String: EmptyObject]?
    /// Working directory of the process.
    public var workingDir: String?
    /// Image labels.
    public var labels: [String: String]?
    /// Signal that stops the container, e.g. `SIGTERM` or `15`.
    public var stopSignal: String?
    /// Windows-only: `Cmd`/`Entrypoint` are already escaped (deprecated in OCI, still written by Docker).
    public var argsEscaped: Bool?
    /// Docker's HEALTHCHECK.
    public var healthcheck: Healthcheck?
    /// Docker's ONBUILD instructions, run by images built FROM this one.
    public var onBuild: [String]?
    /// Docker's SHELL, for shell-form RUN, CMD and ENTRYPOINT.
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case user = "User"
        case exposedPorts = "ExposedPorts"
        case env = "Env"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case volumes = "Volumes"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case argsEscaped = "ArgsEscaped"
        case healthcheck = "Healthcheck"
        case onBuild = "OnBuild"
        case shell = "Shell"
    }

    /// Creates run defaults.
    public init(
        user: String? = nil,
        exposedPorts: [String: EmptyObject]? = nil,
        env: [String]? = nil,
        entrypoint: [String]? = nil,
        cmd: [String]? = nil,
        volumes: [String: EmptyObject]? = nil,
        workingDir: String? = nil,
        labels: [String: String]? = nil,
        stopSignal: String? = nil,
        argsEscaped: Bool? = nil,
        healthcheck: Healthcheck? = nil,
        onBuild: [String]? = nil,
        shell: [String]? = nil
    ) {
        self.user = user
        self.exposedPorts = exposedPorts
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.volumes = volumes
        self.workingDir = workingDir
        self.labels = labels
        self.stopSignal = stopSignal
        self.argsEscaped = argsEscaped
        self.healthcheck = healthcheck
        self.onBuild = onBuild
        self.shell = shell
    }
}

/// Docker's HEALTHCHECK settings; durations are integer nanoseconds, 0 or absent means "inherit".
public struct Healthcheck: Codable, Sendable, Equatable {
    /// `[]` inherit, `["NONE"]` disabled, `["CMD", args…]`, or `["CMD-SHELL", command]`.
    public var test: [String]?
    /// Time between checks, ns.
    public var interval: Int64?
    /// Time before a check counts as hung, ns.
    public var timeout: Int64?
    /// Grace period before failures count, ns.
    public var startPeriod: Int64?
    /// Time between checks during the start period, ns.
    public var startInterval: Int64?
    /// Consecutive failures before the container is unhealthy.
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case startPeriod = "StartPeriod"
        case startInterval = "StartInterval"
        case retries = "Retries"
    }

    /// Creates health check settings.
    public init(test: [String]? = nil, interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil, startInterval: Int64? = nil, retries: Int? = nil) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }
}
