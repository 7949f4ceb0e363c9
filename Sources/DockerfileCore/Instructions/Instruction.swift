import OCI

/// A typed Dockerfile instruction with where it came from.
public struct Instruction: Sendable, Equatable {
    /// What the instruction does.
    public var command: InstructionCommand
    /// The keyword in upper case (`RUN`).
    public var keyword: String
    /// The lines it spans.
    public var lines: SourceLines
    /// The logical source line, continuations joined (docker's `Original`).
    public var original: String

    /// Creates an instruction.
    public init(command: InstructionCommand, keyword: String, lines: SourceLines, original: String) {
        self.command = command
        self.keyword = keyword
        self.lines = lines
        self.original = original
    }
}

/// The instructions of a Dockerfile, each with its typed arguments.
public indirect enum InstructionCommand: Sendable, Equatable {
    /// `FROM [--platform=p] image [AS name]`.
    case from(FromInstruction)
    /// `RUN` in shell or exec form with its flags.
    case run(RunInstruction)
    /// `CMD`.
    case cmd(ShellCommandLine)
    /// `ENTRYPOINT` (an empty exec form clears it).
    case entrypoint(ShellCommandLine)
    /// `ENV k=v …` or `ENV k v`.
    case env([KeyValue])
    /// `ARG name[=default] …`.
    case arg([ArgDefinition])
    /// `LABEL k=v …`.
    case label([KeyValue])
    /// `EXPOSE 80 443/udp 8000-8010` (sorted as docker sorts them; expanded later).
    case expose([String])
    /// `COPY`.
    case copy(CopyInstruction)
    /// `ADD` (the same shape as COPY, with ADD's own flags).
    case add(CopyInstruction)
    /// `WORKDIR path`.
    case workdir(String)
    /// `USER name[:group]`.
    case user(String)
    /// `VOLUME`.
    case volume([String])
    /// `STOPSIGNAL`.
    case stopSignal(String)
    /// `HEALTHCHECK NONE` (test `["NONE"]`) or `HEALTHCHECK [flags] CMD …`; durations in ns.
    case healthcheck(Healthcheck)
    /// `SHELL ["exe", "arg"]`.
    case shell([String])
    /// `ONBUILD <instruction>`: the text stored in the image, and the trigger typed when it parses.
    case onbuild(expression: String, trigger: Instruction?)
    /// `MAINTAINER text` (deprecated; sets the image author).
    case maintainer(String)
}

/// `FROM`'s arguments, unexpanded.
public struct FromInstruction: Sendable, Equatable {
    /// The image, `scratch`, or an earlier stage's name (variables still in place).
    public var baseName: String
    /// The stage name after `AS`, lower-cased.
    public var stageName: String?
    /// `--platform`, unexpanded.
    public var platform: String?

    /// Creates a FROM.
    public init(baseName: String, stageName: String? = nil, platform: String? = nil) {
        self.baseName = baseName
        self.stageName = stageName
        self.platform = platform
    }
}

/// A command line of RUN, CMD, ENTRYPOINT (docker's ShellDependantCmdLine).
public struct ShellCommandLine: Sendable, Equatable {
    /// Exec form: the items. Shell form: one string, the words joined by spaces.
    public var arguments: [String]
    /// True for shell form: the SHELL (default `/bin/sh -c`) goes in front.
    public var prependShell: Bool
    /// Heredoc files the command line refers to (RUN only).
    public var files: [HeredocFile]

    /// Creates a command line.
    public init(arguments: [String], prependShell: Bool, files: [HeredocFile] = []) {
        self.arguments = arguments
        self.prependShell = prependShell
        self.files = files
    }
}

/// A heredoc given to a RUN (docker's ShellInlineFile).
public struct HeredocFile: Sendable, Equatable, Hashable {
    /// The delimiter word.
    public var name: String
    /// The body.
    public var data: String
    /// True for `<<-`: strip leading tabs.
    public var chomp: Bool

    /// Creates a heredoc file.
    public init(name: String, data: String, chomp: Bool) {
        self.name = name
        self.data = data
        self.chomp = chomp
    }
}

/// RUN's network mode (`--network`).
public enum RunNetwork: String, Sendable, Equatable, Codable {
    /// The build's default network.
    case `default`
    /// No network.
    case none
    /// The host's network.
    case host
}

/// RUN's `--security` mode.
public enum RunSecurity: String, Sendable, Equatable, Codable {
    /// The default sandbox.
    case sandbox
    /// Privileged (needs the `security.insecure` entitlement).
    case insecure
}

/// `RUN` with its flags.
public struct RunInstruction: Sendable, Equatable {
    /// The command.
    public var commandLine: ShellCommandLine
    /// `--mount` values as written; parsed into `mounts` once variables are expanded (`RunMount.parse`).
    public var mountSpecs: [String]
    /// The mounts, parsed after expansion by `StageState.apply` (empty until then).
    public var mounts: [RunMount]
    /// `--network`.
    public var network: RunNetwork
    /// `--security`.
    public var security: RunSecurity
    /// Names of the flags that were given (docker's FlagsUsed), sorted.
    public var flagsUsed: [String]

    /// Creates a RUN.
    public init(
        commandLine: ShellCommandLine, mountSpecs: [String] = [], mounts: [RunMount] = [],
        network: RunNetwork = .default, security: RunSecurity = .sandbox, flagsUsed: [String] = []
    ) {
        self.commandLine = commandLine
        self.mountSpecs = mountSpecs
        self.mounts = mounts
        self.network = network
        self.security = security
        self.flagsUsed = flagsUsed
    }
}

/// `ARG name[=default]`.
public struct ArgDefinition: Sendable, Equatable, Hashable {
    /// The name.
    public var name: String
    /// The default, when one is written (possibly empty).
    public var defaultValue: String?

    /// Creates an ARG definition.
    public init(name: String, defaultValue: String? = nil) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

/// An inline source of COPY/ADD given as a heredoc (`COPY <<EOF /dst`).
public struct HeredocSource: Sendable, Equatable, Hashable {
    /// The delimiter word, used as the file name.
    public var path: String
    /// The content (tabs already stripped for `<<-`).
    public var data: String
    /// True when variables in the content are to be expanded (unquoted delimiter).
    public var expand: Bool

    /// Creates a heredoc source.
    public init(path: String, data: String, expand: Bool) {
        self.path = path
        self.data = data
        self.expand = expand
    }
}

/// COPY and ADD.
public struct CopyInstruction: Sendable, Equatable {
    /// Source paths (globs, URLs for ADD), unexpanded until dispatch.
    public var sources: [String]
    /// Heredoc sources.
    public var sourceContents: [HeredocSource]
    /// The destination.
    public var destination: String
    /// `--from` (COPY only): a stage name, a stage index, or an image.
    public var from: String?
    /// `--chown`.
    public var chown: String?
    /// `--chmod`.
    public var chmod: String?
    /// `--link`.
    public var link: Bool
    /// `--parents` (COPY only).
    public var parents: Bool
    /// `--exclude` patterns.
    public var excludes: [String]
    /// `--checksum` (ADD only).
    public var checksum: String?
    /// `--keep-git-dir` (ADD only), when given.
    public var keepGitDir: Bool?
    /// `--unpack` (ADD only), when given.
    public var unpack: Bool?

    /// Creates a COPY/ADD.
    public init(
        sources: [String], sourceContents: [HeredocSource] = [], destination: String, from: String? = nil,
        chown: String? = nil, chmod: String? = nil, link: Bool = false, parents: Bool = false,
        excludes: [String] = [], checksum: String? = nil, keepGitDir: Bool? = nil, unpack: Bool? = nil
    ) {
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
        self.keepGitDir = keepGitDir
        self.unpack = unpack
    }
}
