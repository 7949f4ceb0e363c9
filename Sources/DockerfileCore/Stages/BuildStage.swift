/// One `FROM` and the instructions up to the next `FROM`.
public struct BuildStage: Sendable, Equatable {
    /// Position in the Dockerfile, 0-based (what `COPY --from=0` refers to).
    public var index: Int
    /// The name after `AS`, lower-cased.
    public var name: String?
    /// FROM's image or stage reference, unexpanded.
    public var baseName: String
    /// FROM's `--platform`, unexpanded.
    public var platform: String?
    /// The FROM instruction itself.
    public var from: Instruction
    /// The instructions after FROM.
    public var instructions: [Instruction]

    /// Creates a stage.
    public init(index: Int, name: String?, baseName: String, platform: String?, from: Instruction, instructions: [Instruction]) {
        self.index = index
        self.name = name
        self.baseName = baseName
        self.platform = platform
        self.from = from
        self.instructions = instructions
    }
}

/// A Dockerfile split into stages: the ARGs before the first FROM, then the stages.
public struct DockerfileStages: Sendable, Equatable {
    /// Global ARG instructions (before the first FROM), in order.
    public var metaArgs: [Instruction]
    /// The stages in order.
    public var stages: [BuildStage]
    /// The escape character of the file (needed to expand words).
    public var escapeToken: Character

    /// Creates the split.
    public init(metaArgs: [Instruction], stages: [BuildStage], escapeToken: Character = "\\") {
        self.metaArgs = metaArgs
        self.stages = stages
        self.escapeToken = escapeToken
    }
}

/// What a stage starts from, once FROM's name is expanded.
public enum StageBase: Sendable, Equatable, Hashable {
    /// `FROM scratch`: an empty filesystem and config.
    case scratch
    /// An image reference to resolve (pull if missing or with `--pull`).
    case image(String)
    /// An earlier stage, by index.
    case stage(Int)
}

/// Where a `COPY --from` or `RUN --mount=from=` reads.
public enum CopySource: Sendable, Equatable, Hashable {
    /// An earlier stage, by index.
    case stage(Int)
    /// An image reference (docker pulls it when it is not a stage name).
    case image(String)
}

/// A stage the build will run, with everything resolved that can be resolved without I/O.
public struct PlannedStage: Sendable, Equatable {
    /// The stage.
    public var stage: BuildStage
    /// FROM after expansion with the global ARGs.
    public var base: StageBase
    /// `--platform` after expansion, when given.
    public var platform: String?
    /// Stages this one reads (FROM, COPY --from, RUN --mount from), by index.
    public var dependencies: [Int]

    /// Creates a planned stage.
    public init(stage: BuildStage, base: StageBase, platform: String?, dependencies: [Int]) {
        self.stage = stage
        self.base = base
        self.platform = platform
        self.dependencies = dependencies
    }
}

/// The pure plan of a build: which stages to run in which order, and the argument values.
public struct BuildPlan: Sendable, Equatable {
    /// Only the stages the target needs, in Dockerfile order (every dependency comes first).
    public var stages: [PlannedStage]
    /// Index (in the Dockerfile) of the stage whose result is the image.
    public var targetIndex: Int
    /// Global ARGs after `--build-arg` overrides and expansion: what FROM lines see.
    public var globalArgs: [String: String]
    /// The `--build-arg` values given.
    public var buildArgs: [String: String]
    /// `--build-arg` names no ARG declares (docker warns about them), sorted.
    public var unusedBuildArgs: [String]
    /// The escape character of the file.
    public var escapeToken: Character

    /// Creates a plan.
    public init(
        stages: [PlannedStage], targetIndex: Int, globalArgs: [String: String], buildArgs: [String: String],
        unusedBuildArgs: [String] = [], escapeToken: Character = "\\"
    ) {
        self.stages = stages
        self.targetIndex = targetIndex
        self.globalArgs = globalArgs
        self.buildArgs = buildArgs
        self.unusedBuildArgs = unusedBuildArgs
        self.escapeToken = escapeToken
    }

    /// The planned stage with a Dockerfile index, if the plan runs it.
    public func stage(at index: Int) -> PlannedStage? {
        stages.first { $0.stage.index == index }
    }
}
