import OCI

/// Run defaults to set on an imported image (what `docker import --change` sets): each non-nil field
/// replaces the config's value.
public struct ImageChanges: Sendable, Equatable {
    /// `CMD`.
    public var cmd: [String]?
    /// `ENTRYPOINT`.
    public var entrypoint: [String]?
    /// `ENV`, `KEY=value`.
    public var env: [String]?
    /// `WORKDIR`.
    public var workingDir: String?
    /// `USER`.
    public var user: String?
    /// `EXPOSE`, e.g. `80/tcp`.
    public var exposedPorts: [String]?
    /// `LABEL`s.
    public var labels: [String: String]?
    /// `STOPSIGNAL`.
    public var stopSignal: String?

    /// Creates changes; nil fields leave the value unset.
    public init(
        cmd: [String]? = nil, entrypoint: [String]? = nil, env: [String]? = nil, workingDir: String? = nil,
        user: String? = nil, exposedPorts: [String]? = nil, labels: [String: String]? = nil, stopSignal: String? = nil
    ) {
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.exposedPorts = exposedPorts
        self.labels = labels
        self.stopSignal = stopSignal
    }

    /// `base` with these changes applied.
    public func applied(to base: ContainerConfig = ContainerConfig()) -> ContainerConfig {
        var config = base
        if let cmd { config.cmd = cmd }
        if let entrypoint { config.entrypoint = entrypoint }
        if let env { config.env = env }
        if let workingDir { config.workingDir = workingDir }
        if let user { config.user = user }
        if let exposedPorts {
            config.exposedPorts = Dictionary(exposedPorts.map { ($0.contains("/") ? $0 : $0 + "/tcp", EmptyObject()) }, uniquingKeysWith: { a, _ in a })
        }
        if let labels { config.labels = labels }
        if let stopSignal { config.stopSignal = stopSignal }
        return config
    }
}
