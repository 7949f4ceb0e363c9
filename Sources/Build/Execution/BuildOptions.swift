/// What a build was asked for (docker's `POST /build` query, `berth build` flags).
public struct BuildOptions: Sendable, Equatable {
    /// The Dockerfile's text.
    public var dockerfile: String
    /// The Dockerfile's name as given (`-f`), for messages (`Dockerfile:7: …`).
    public var dockerfileName: String
    /// Names for the result (`-t`, several).
    public var tags: [String]
    /// `--build-arg` values.
    public var buildArgs: [String: String]
    /// `--label`s added to the result.
    public var labels: [String: String]
    /// `--target` stage.
    public var target: String?
    /// `--no-cache`: run every step (results are still recorded for later builds).
    public var noCache: Bool
    /// `--pull`: resolve base images afresh.
    public var pull: Bool
    /// `--network` for RUN steps without their own `--network`: default, none or host.
    public var network: String
    /// SOURCE_DATE_EPOCH: timestamps in the config, history and new layers are clamped to it.
    public var sourceDateEpoch: Int64?

    /// Options with docker's defaults.
    public init(dockerfile: String, dockerfileName: String = "Dockerfile", tags: [String] = [], buildArgs: [String: String] = [:],
                labels: [String: String] = [:], target: String? = nil, noCache: Bool = false, pull: Bool = false,
                network: String = "default", sourceDateEpoch: Int64? = nil) {
        self.dockerfile = dockerfile; self.dockerfileName = dockerfileName; self.tags = tags; self.buildArgs = buildArgs
        self.labels = labels; self.target = target; self.noCache = noCache; self.pull = pull; self.network = network
        self.sourceDateEpoch = sourceDateEpoch
    }
}

/// What a build reports as it goes, in the order docker's legacy builder prints it.
public enum BuildProgress: Sendable, Equatable {
    /// Text for the user that belongs to no step event (`# Executing 1 build trigger\n`).
    case stream(String)
    /// A step started, was taken from the cache or finished, with docker's text for it
    /// (`Step 2/5 : COPY . /app\n`, ` ---> Using cache\n ---> 1a2b3c4d5e6f\n`, ` ---> 1a2b3c4d5e6f\n`).
    case step(BuildStepMark, String)
    /// Output of a RUN step's command.
    case output([UInt8])
    /// A base image's pull, as the registry client reports it (docker streams these into builds).
    case pull(BuildPullStatus)
    /// The built image's ID (`{"aux":{"ID":"sha256:…"}}`).
    case imageID(String)
}

/// One line of a base image's pull during a build (`Pulling fs layer`, `Pull complete`, `Digest: …`).
public struct BuildPullStatus: Sendable, Equatable {
    /// The layer it is about (12 hex digits); nil for whole-image lines.
    public var id: String?
    /// docker's words.
    public var status: String
    /// Whether the message carries a (possibly empty) byte-count detail.
    public var hasDetail: Bool
    /// Bytes done.
    public var current: Int64?
    /// Bytes in all.
    public var total: Int64?

    /// A status.
    public init(id: String?, status: String, hasDetail: Bool = false, current: Int64? = nil, total: Int64? = nil) {
        self.id = id; self.status = status; self.hasDetail = hasDetail; self.current = current; self.total = total
    }
}

/// Where a step is, for views that draw one line per step (`berth build --progress=tty`).
public struct BuildStepMark: Sendable, Equatable {
    /// What happened to the step.
    public enum Phase: String, Sendable, Equatable {
        /// It started (`Step n/N : …`).
        case start
        /// Its result came from the cache.
        case cached
        /// It finished and its image was written.
        case done
    }

    /// The step's number (1-based, across stages).
    public var number: Int
    /// The number of steps in the build.
    public var total: Int
    /// What happened.
    public var phase: Phase
    /// The instruction as written (on `start`).
    public var name: String?

    /// A mark.
    public init(number: Int, total: Int, phase: Phase, name: String? = nil) {
        self.number = number; self.total = total; self.phase = phase; self.name = name
    }
}

/// A build that stopped: what went wrong, on which Dockerfile line, rendered once at the edge.
public struct BuildError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in docker's words where docker has words.
    public var message: String
    /// The Dockerfile line of the instruction that failed, when there was one.
    public var line: Int?
    /// The Dockerfile's name.
    public var file: String
    /// The exit code of a RUN that failed.
    public var exitCode: Int?

    /// An error.
    public init(_ message: String, line: Int? = nil, file: String = "Dockerfile", exitCode: Int? = nil) {
        self.message = message; self.line = line; self.file = file; self.exitCode = exitCode
    }

    /// `Dockerfile:7: message`.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return message
    }
}
