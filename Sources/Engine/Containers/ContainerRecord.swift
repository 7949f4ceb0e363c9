import DockerAPI

/// Where a container is in its life.
public enum ContainerStatus: String, Codable, Sendable {
    case created, running, paused, restarting, removing, exited, dead
}

/// Everything the engine keeps about one container; stored as JSON in SQLite, so it outlives the
/// daemon. A value: the `Engine` actor owns the current copy and writes it back on every change.
public struct ContainerRecord: Codable, Sendable, Equatable {
    public var id: String
    /// Without docker's leading slash.
    public var name: String
    public var created: Timestamp
    /// The image as the user named it (`busybox`), shown by `ps`.
    public var imageReference: String
    /// The image's config digest (`sha256:…`), docker's image ID.
    public var imageID: String
    /// The image's manifest (or index) digest, to resolve the same image even after a re-tag.
    public var imageTarget: String
    /// The create request's config merged with the image's (what inspect shows as `Config`).
    public var config: ContainerConfig
    public var hostConfig: HostConfig
    /// The executable and arguments after entrypoint/cmd merging.
    public var path: String
    public var args: [String]
    public var state: RunState
    public var mounts: [MountPoint]
    /// Names of anonymous volumes created for this container (removed by `rm -v`).
    public var anonymousVolumes: [String]
    /// The networks the container is attached to, by network ID (nil in records written
    /// before networking existed: the mode decides).
    public var endpoints: [String: Endpoint]?
    /// Published ports as bound while the container runs (`-P` and `hostPort: ""` resolved).
    public var publishedPorts: [String: [PortBinding]]?
    /// The network namespace Berth made for the running container (inspect's SandboxKey).
    public var sandboxKey: String?

    /// The mutable run state.
    public struct RunState: Codable, Sendable, Equatable {
        public var status: ContainerStatus = .created
        public var pid: Int32 = 0
        public var exitCode: Int = 0
        public var error: String = ""
        public var oomKilled = false
        public var startedAt: Timestamp = .zero
        public var finishedAt: Timestamp = .zero
        public var restartCount = 0
        /// Set by stop/kill from a user: `unless-stopped` and `always` stay down across daemon restarts.
        public var manuallyStopped = false
        public var hasBeenStarted = false
        public init() {}
    }

    public var isRunning: Bool { state.status == .running || state.status == .paused || state.status == .restarting }
    public var shortID: String { String(id.prefix(12)) }
}
