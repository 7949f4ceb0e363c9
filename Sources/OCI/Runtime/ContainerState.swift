/// The runtime-spec "state" of a container, as `state` prints it and hooks read it on stdin.
public struct ContainerState: Codable, Sendable, Equatable {
    /// Runtime-spec version of the state document.
    public var ociVersion: String
    /// Container ID, unique on the host.
    public var id: String
    /// Lifecycle status.
    public var status: ContainerStatus
    /// Host PID of the container process, when created or running.
    public var pid: Int32?
    /// Absolute path of the bundle directory.
    public var bundle: String
    /// Annotations from the configuration.
    public var annotations: [String: String]?

    /// Creates a state document.
    public init(
        ociVersion: String = Spec.version,
        id: String,
        status: ContainerStatus,
        pid: Int32? = nil,
        bundle: String,
        annotations: [String: String]? = nil
    ) {
        self.ociVersion = ociVersion
        self.id = id
        self.status = status
        self.pid = pid
        self.bundle = bundle
        self.annotations = annotations
    }
}

/// Lifecycle status of a container; "paused" is runc's addition to the spec's four.
public enum ContainerStatus: String, Codable, Sendable, CaseIterable {
    /// `create` is running.
    case creating
    /// `create` finished; the process waits for `start`.
    case created
    /// The user process is running.
    case running
    /// The process exited.
    case stopped
    /// The cgroup is frozen.
    case paused

    /// Decodes a status, naming the offending value when it is unknown.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = ContainerStatus(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown container status \"\(raw)\"")
        }
        self = value
    }
}
