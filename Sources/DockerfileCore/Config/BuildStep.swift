import OCI

/// What the executor must do for one instruction, after `StageState.apply` updated the config.
public enum BuildStepAction: Sendable, Equatable {
    /// Nothing beyond the config change: the history entry is an empty layer.
    case metadata
    /// Run a command in a container of the current rootfs and commit its diff.
    case run(RunStep)
    /// Copy files from the context, a stage, an image or heredocs, and commit them as a layer.
    case copy(CopyStep)
    /// Create the working directory if missing (docker commits it; an empty diff is an empty layer).
    case workdir(String)
}

/// One instruction's effect: the action to perform and its history entry.
public struct BuildStep: Sendable, Equatable {
    /// The instruction, variables expanded.
    public var instruction: Instruction
    /// What to do.
    public var action: BuildStepAction
    /// The history entry docker writes (for COPY/ADD see `CopyStep.createdBy(sourceDigest:)`).
    public var history: History
    /// Text that identifies this step for the build cache, to be combined with the parent image:
    /// the instruction with its arguments expanded, and for RUN the build args, Env, user, working
    /// directory, network, mounts and heredoc bodies; for COPY/ADD the destination, flags, sources
    /// and heredoc contents (the executor adds the digest of the copied files' content).
    public var cacheKey: String

    /// Creates a step.
    public init(instruction: Instruction, action: BuildStepAction, history: History, cacheKey: String) {
        self.instruction = instruction
        self.action = action
        self.history = history
        self.cacheKey = cacheKey
    }
}

/// A RUN ready to execute.
public struct RunStep: Sendable, Equatable {
    /// The process's argv: SHELL + command for shell form, the items for exec form.
    public var argv: [String]
    /// Environment: the config's Env, then the build args in scope that ENV does not override.
    public var env: [String]
    /// The user to run as (config User), empty for root.
    public var user: String
    /// The working directory (config WorkingDir), "/" when unset.
    public var workingDir: String
    /// `--network`.
    public var network: RunNetwork
    /// `--security`.
    public var security: RunSecurity
    /// `--mount`s, expanded and parsed.
    public var mounts: [RunMount]
    /// Heredoc files of the command line (already expanded when their delimiter was unquoted).
    public var files: [HeredocFile]

    /// Creates a RUN step.
    public init(
        argv: [String], env: [String], user: String, workingDir: String, network: RunNetwork = .default,
        security: RunSecurity = .sandbox, mounts: [RunMount] = [], files: [HeredocFile] = []
    ) {
        self.argv = argv
        self.env = env
        self.user = user
        self.workingDir = workingDir
        self.network = network
        self.security = security
        self.mounts = mounts
        self.files = files
    }
}

/// A COPY or ADD ready to execute, variables expanded.
public struct CopyStep: Sendable, Equatable {
    /// True for ADD (archives are extracted, URLs fetched).
    public var isAdd: Bool
    /// Sources, relative to the context (or the `from` root).
    public var sources: [String]
    /// Heredoc sources (content expanded when the delimiter was unquoted).
    public var sourceContents: [HeredocSource]
    /// Destination, absolute: a relative one is resolved against the working directory;
    /// a trailing `/` (meaning "a directory") is kept.
    public var destination: String
    /// Where the sources come from; nil for the build context.
    public var from: CopySource?
    /// `--chown`, expanded.
    public var chown: String?
    /// `--chmod`, expanded.
    public var chmod: String?
    /// `--link`.
    public var link: Bool
    /// `--parents`.
    public var parents: Bool
    /// `--exclude` patterns.
    public var excludes: [String]
    /// `--checksum` of ADD (`sha256:<hex>`), expanded: a downloaded source must have this digest.
    public var checksum: String?
    /// The shell in force, for the legacy history text.
    public var shell: [String]
    /// The destination as written (variables expanded, not resolved), which docker's history shows.
    public var requestedDestination: String

    /// Creates a COPY step.
    public init(
        isAdd: Bool, sources: [String], sourceContents: [HeredocSource] = [], destination: String, from: CopySource? = nil,
        chown: String? = nil, chmod: String? = nil, link: Bool = false, parents: Bool = false, excludes: [String] = [],
        checksum: String? = nil, shell: [String] = ["/bin/sh", "-c"], requestedDestination: String? = nil
    ) {
        self.isAdd = isAdd
        self.sources = sources
        self.sourceContents = sourceContents
        self.destination = destination
        self.from = from
        self.chown = chown
        self.chmod = chmod
        self.link = link
        self.parents = parents
        self.excludes = excludes
        self.checksum = checksum
        self.shell = shell
        self.requestedDestination = requestedDestination ?? destination
    }
}
