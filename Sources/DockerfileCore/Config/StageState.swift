import OCI

/// The pure half of building one stage: the image config as instructions change it, the build
/// arguments in scope, and for each instruction the action to perform and the history docker writes
/// (the legacy builder's, `/bin/sh -c #(nop)  CMD ["x"]`). The executor performs the actions.
public struct StageState: Sendable, Equatable {
    /// Linux's default PATH, added when the base image has none.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    /// The shell of shell-form commands when SHELL was not used.
    public static let defaultShell = ["/bin/sh", "-c"]

    /// The image config being built (the executor appends history and diff IDs as it commits).
    public var image: ImageConfig
    /// Build arguments in scope.
    public private(set) var arguments: BuildArgScope
    /// True once this stage set a non-empty CMD (ENTRYPOINT then keeps it).
    public private(set) var commandSet = false
    /// ONBUILD triggers of the base image, not yet taken.
    public private(set) var pendingTriggers: [String]
    /// The escape character of the Dockerfile.
    public let escapeToken: Character
    /// Stage names of the plan, for `COPY --from=<name>`.
    private let stageIndexes: [String: Int]

    /// Starts a stage from its base image's config (nil for scratch), with the plan's arguments.
    /// The base's ONBUILD triggers move to `pendingTriggers` (see `takeOnBuildTriggers`).
    public init(plan: BuildPlan, base: ImageConfig?, platform: Platform = Platform(architecture: "amd64", os: "linux")) {
        var image = base ?? ImageConfig(architecture: platform.architecture, os: platform.os, variant: platform.variant, rootfs: RootFS(diffIDs: []))
        var config = image.config ?? ContainerConfig()
        pendingTriggers = config.onBuild ?? []
        config.onBuild = nil
        var env = config.env ?? []
        if !env.contains(where: { splitAssignment($0).0 == "PATH" }) { env.append("PATH=" + Self.defaultPath) }
        config.env = env
        image.config = config
        self.image = image
        self.arguments = BuildArgScope(options: plan.buildArgs, globals: plan.globalArgs)
        self.escapeToken = plan.escapeToken
        var indexes: [String: Int] = [:]
        for planned in plan.stages { if let name = planned.stage.name { indexes[name] = planned.stage.index } }
        self.stageIndexes = indexes
    }

    /// The run defaults being built.
    public var config: ContainerConfig { image.config ?? ContainerConfig() }

    /// The shell for shell-form commands (SHELL, else `/bin/sh -c`).
    public var shell: [String] {
        if let shell = config.shell, !shell.isEmpty { return shell }
        return Self.defaultShell
    }

    /// What `$VAR` sees: the config's Env, then the build args it does not shadow.
    public var expansionEnvironment: ShellEnvironment {
        let env = config.env ?? []
        return ShellEnvironment(env + arguments.environment(excluding: env))
    }

    /// Parses the base image's ONBUILD triggers (clearing them), to be applied right after FROM.
    /// `lines` (the FROM's) is given to the triggers so their errors point at the FROM.
    public mutating func takeOnBuildTriggers(lines: SourceLines? = nil) throws(DockerfileError) -> [Instruction] {
        let triggers = pendingTriggers
        pendingTriggers = []
        var instructions: [Instruction] = []
        for trigger in triggers {
            do throws(DockerfileError) {
                let parsed = try Dockerfile.parse(trigger)
                guard parsed.nodes.count == 1 else {
                    throw DockerfileError(.syntax, "onbuild trigger should be a single expression")
                }
                var node = parsed.nodes[0]
                if let lines { node.lines = lines }
                instructions.append(try Instruction(node: node))
            } catch {
                var located = error
                if let lines {
                    located.line = lines.start
                    located.endLine = lines.end
                }
                throw located
            }
        }
        return instructions
    }

    /// Where a `COPY --from` / `RUN --mount=from=` value points: a stage of the plan by index or
    /// name (case-insensitive), else an image reference.
    public func resolveSource(_ reference: String) -> CopySource {
        if let index = Int(reference) { return .stage(index) }
        if let index = stageIndexes[reference.lowercased()] { return .stage(index) }
        return .image(reference)
    }

    /// Applies one instruction of the stage: expands its variables, updates the config and
    /// argument scope, and says what the executor must do and which history entry results.
    public mutating func apply(_ instruction: Instruction) throws(DockerfileError) -> BuildStep {
        do {
            return try dispatch(instruction)
        } catch {
            throw error.at(instruction.lines)
        }
    }

    private func expandWord(_ word: String) throws(DockerfileError) -> String {
        try ShellLexer(escapeToken: escapeToken).processWord(word, environment: expansionEnvironment)
    }

    private mutating func updateConfig(_ change: (inout ContainerConfig) -> Void) {
        var config = self.config
        change(&config)
        image.config = config
    }

    /// A history entry whose text is `<shell> #(nop)  <comment>` (docker's commit of a metadata step).
    private func nop(_ comment: String) -> History {
        History(createdBy: (shell + ["#(nop) ", comment]).joined(separator: " "), emptyLayer: true)
    }

    /// The command line with the shell in front for shell form (docker's resolveCmdLine on Linux).
    private func resolve(_ line: ShellCommandLine) -> [String] {
        if line.arguments.isEmpty { return [] }
        return line.prependShell ? shell + line.arguments : line.arguments
    }

    private func step(_ instruction: Instruction, _ command: InstructionCommand, _ action: BuildStepAction, _ history: History) -> BuildStep {
        var expanded = instruction
        expanded.command = command
        let key = [instruction.keyword, history.createdBy ?? ""].joined(separator: "\u{0}")
        return BuildStep(instruction: expanded, action: action, history: history, cacheKey: key)
    }

    private mutating func dispatch(_ instruction: Instruction) throws(DockerfileError) -> BuildStep {
        switch instruction.command {
        case .from:
            throw DockerfileError(.structure, "FROM starts a new stage; it is not applied to a stage")
        case .env(let pairs):
            var expanded: [KeyValue] = []
            for pair in pairs {
                expanded.append(KeyValue(key: try expandWord(pair.key), value: try expandWord(pair.value), usesEquals: pair.usesEquals))
            }
            updateConfig { config in
                var env = config.env ?? []
                for pair in expanded {
                    if let index = env.firstIndex(where: { splitAssignment($0).0 == pair.key }) {
                        env[index] = pair.assignment
                    } else {
                        env.append(pair.assignment)
                    }
                }
                config.env = env
            }
            let comment = (["ENV"] + expanded.map(\.assignment)).joined(separator: " ")
            return step(instruction, .env(expanded), .metadata, nop(comment))
        case .label(let pairs):
            var expanded: [KeyValue] = []
            for pair in pairs {
                expanded.append(KeyValue(key: try expandWord(pair.key), value: try expandWord(pair.value), usesEquals: pair.usesEquals))
            }
            updateConfig { config in
                var labels = config.labels ?? [:]
                for pair in expanded { labels[pair.key] = pair.value }
                config.labels = labels
            }
            let comment = (["LABEL"] + expanded.map(\.assignment)).joined(separator: " ")
            return step(instruction, .label(expanded), .metadata, nop(comment))
        case .maintainer(let maintainer):
            image.author = maintainer
            return step(instruction, instruction.command, .metadata, nop("MAINTAINER " + maintainer))
        case .arg(let definitions):
            var expanded: [ArgDefinition] = []
            for definition in definitions {
                let name = try expandWord(definition.name)
                let value = try definition.defaultValue.map { value throws(DockerfileError) in try expandWord(value) }
                expanded.append(ArgDefinition(name: name, defaultValue: value))
                arguments.declare(name, defaultValue: value)
            }
            let comment = "ARG " + expanded.map { $0.name + ($0.defaultValue.map { "=" + $0 } ?? "") }.joined(separator: " ")
            return step(instruction, .arg(expanded), .metadata, nop(comment))
        case .cmd(let line):
            let command = resolve(line)
            updateConfig { config in config.cmd = command }
            if !line.arguments.isEmpty { commandSet = true }
            return step(instruction, instruction.command, .metadata, nop("CMD " + GoFormat.quoteList(command)))
        case .entrypoint(let line):
            let entrypoint = resolve(line)
            let keepCommand = commandSet
            updateConfig { config in
                config.entrypoint = entrypoint.isEmpty ? nil : entrypoint
                if !keepCommand { config.cmd = nil }
            }
            return step(instruction, instruction.command, .metadata, nop("ENTRYPOINT " + GoFormat.quoteList(entrypoint)))
        case .expose(let ports):
            let lexer = ShellLexer(escapeToken: escapeToken)
            var words: [String] = []
            for port in ports { words += try lexer.processWords(port, environment: expansionEnvironment) }
            var keys: [String] = []
            for word in words { keys += try ExposedPort.keys(word) }
            updateConfig { config in
                var exposed = config.exposedPorts ?? [:]
                for key in keys { exposed[key] = EmptyObject() }
                config.exposedPorts = exposed
            }
            return step(instruction, .expose(words), .metadata, nop("EXPOSE " + words.joined(separator: " ")))
        case .user(let user):
            let expanded = try expandWord(user)
            updateConfig { config in config.user = expanded }
            return step(instruction, .user(expanded), .metadata, nop("USER " + expanded))
        case .volume(let volumes):
            var expanded: [String] = []
            for volume in volumes {
                let value = try expandWord(volume)
                guard !value.isEmpty else { throw DockerfileError(.arguments, "VOLUME specified can not be an empty string") }
                expanded.append(value)
            }
            updateConfig { config in
                var set = config.volumes ?? [:]
                for volume in expanded { set[volume] = EmptyObject() }
                config.volumes = set
            }
            return step(instruction, .volume(expanded), .metadata, nop("VOLUME " + GoFormat.list(expanded)))
        case .stopSignal(let signal):
            let expanded = try expandWord(signal)
            guard SignalNames.isValid(expanded) else { throw DockerfileError(.arguments, "Invalid signal: \(expanded)") }
            updateConfig { config in config.stopSignal = expanded }
            return step(instruction, .stopSignal(expanded), .metadata, nop("STOPSIGNAL " + expanded))
        case .healthcheck(let check):
            updateConfig { config in
                config.healthcheck = Healthcheck(
                    test: check.test, interval: nonZero(check.interval), timeout: nonZero(check.timeout),
                    startPeriod: nonZero(check.startPeriod), startInterval: nonZero(check.startInterval),
                    retries: (check.retries ?? 0) == 0 ? nil : check.retries)
            }
            // docker 20.10's HealthConfig has no StartInterval; it is shown only when used.
            var durations = [check.interval, check.timeout, check.startPeriod]
            if (check.startInterval ?? 0) != 0 { durations.append(check.startInterval) }
            let text =
                "&{" + GoFormat.quoteList(check.test ?? []) + " "
                + durations.map { GoFormat.quote(GoFormat.duration($0 ?? 0)) }.joined(separator: " ")
                + " " + GoFormat.quoteRune(check.retries ?? 0) + "}"
            return step(instruction, instruction.command, .metadata, nop("HEALTHCHECK " + text))
        case .shell(let shell):
            updateConfig { config in config.shell = shell }
            return step(instruction, instruction.command, .metadata, nop("SHELL " + GoFormat.list(shell)))
        case .onbuild(let expression, _):
            updateConfig { config in config.onBuild = (config.onBuild ?? []) + [expression] }
            return step(instruction, instruction.command, .metadata, nop("ONBUILD " + expression))
        case .workdir(let path):
            let expanded = try expandWord(path)
            let directory = Self.normalizeWorkdir(current: config.workingDir ?? "", requested: expanded)
            guard !directory.isEmpty else { throw DockerfileError(.arguments, "cannot normalize nothing") }
            updateConfig { config in config.workingDir = directory }
            let history = History(createdBy: (shell + ["#(nop) WORKDIR " + directory]).joined(separator: " "))
            return step(instruction, .workdir(expanded), .workdir(directory), history)
        case .run(let run):
            return try dispatchRun(instruction, run)
        case .copy(let copy):
            return try dispatchCopy(instruction, copy, isAdd: false)
        case .add(let copy):
            return try dispatchCopy(instruction, copy, isAdd: true)
        }
    }

    private mutating func dispatchRun(_ instruction: Instruction, _ run: RunInstruction) throws(DockerfileError) -> BuildStep {
        var expandedRun = run
        var mounts: [RunMount] = []
        for spec in run.mountSpecs {
            mounts.append(try RunMount.parse(spec) { value throws(DockerfileError) in try expandWord(value) })
        }
        expandedRun.mounts = mounts
        let env = config.env ?? []
        let argumentEnv = arguments.environment(excluding: env)
        let argv = runArguments(run.commandLine)
        var saved = argv
        if !argumentEnv.isEmpty {
            let recorded = argumentEnv.filter { arguments.isRecorded(splitAssignment($0).0) }.sorted()
            saved = ["|\(recorded.count)"] + recorded + argv
        }
        let runStep = RunStep(
            argv: argv, env: env + argumentEnv, user: config.user ?? "", workingDir: config.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
            network: run.network, security: run.security, mounts: mounts, files: inlineFiles(run.commandLine))
        let history = History(createdBy: saved.joined(separator: " "))
        var result = step(instruction, .run(expandedRun), .run(runStep), history)
        let mountKeys = mounts.map { "\($0)" }
        let fileKeys = runStep.files.map { $0.name + "\u{1}" + $0.data }
        result.cacheKey = (["RUN"] + saved + ["\u{1}"] + env + ["\u{1}", runStep.user, runStep.workingDir, run.network.rawValue,
            run.security.rawValue] + mountKeys + fileKeys).joined(separator: "\u{0}")
        return result
    }

    /// RUN's argv, with buildkit's heredoc handling: a lone `<<EOF` runs the body with the shell,
    /// a body starting with `#!` runs as a file under /dev/pipes, other heredoc lines go to the shell whole.
    private func runArguments(_ line: ShellCommandLine) -> [String] {
        guard let first = line.files.first, line.arguments.count == 1, line.prependShell else { return resolve(line) }
        if (try? HeredocParsing.parse(line.arguments[0])) ?? nil != nil {
            if first.data.hasPrefix("#!") { return shell + ["/dev/pipes/" + first.name] }
            return shell + [first.chomp ? HeredocParsing.chomp(first.data) : first.data]
        }
        var full = line.arguments[0]
        for file in line.files { full += "\n" + file.data + file.name }
        return shell + [full]
    }

    /// Files the executor must provide read-only, mode 0755, under /dev/pipes (a `#!` heredoc).
    private func inlineFiles(_ line: ShellCommandLine) -> [HeredocFile] {
        guard let first = line.files.first, line.arguments.count == 1, line.prependShell, first.data.hasPrefix("#!"),
            (try? HeredocParsing.parse(line.arguments[0])) ?? nil != nil
        else { return [] }
        return [HeredocFile(name: first.name, data: first.chomp ? HeredocParsing.chomp(first.data) : first.data, chomp: false)]
    }

    private mutating func dispatchCopy(_ instruction: Instruction, _ copy: CopyInstruction, isAdd: Bool) throws(DockerfileError) -> BuildStep {
        var expanded = copy
        expanded.sources = []
        for source in copy.sources { expanded.sources.append(try expandWord(source)) }
        expanded.destination = try expandWord(copy.destination)
        expanded.chown = try copy.chown.map { value throws(DockerfileError) in try expandWord(value) }
        expanded.chmod = try copy.chmod.map { value throws(DockerfileError) in try expandWord(value) }
        expanded.checksum = try copy.checksum.map { value throws(DockerfileError) in try expandWord(value) }
        var rawLexer = ShellLexer(escapeToken: "\\")
        rawLexer.skipProcessQuotes = true
        for index in expanded.sourceContents.indices where expanded.sourceContents[index].expand {
            expanded.sourceContents[index].data = try rawLexer.processWord(expanded.sourceContents[index].data, environment: expansionEnvironment)
        }
        let destination = Self.normalizeDestination(workingDir: config.workingDir ?? "", requested: expanded.destination)
        let from = copy.from.map(resolveSource)
        let copyStep = CopyStep(
            isAdd: isAdd, sources: expanded.sources, sourceContents: expanded.sourceContents, destination: destination, from: from,
            chown: expanded.chown, chmod: expanded.chmod, link: copy.link, parents: copy.parents, excludes: copy.excludes,
            checksum: expanded.checksum, shell: shell, requestedDestination: expanded.destination)
        let history = History(createdBy: copyStep.createdBy(sourceDigest: "<sources>"))
        var result = step(instruction, isAdd ? .add(expanded) : .copy(expanded), .copy(copyStep), history)
        let fromKey = from.map { "\($0)" } ?? ""
        let contentKeys = expanded.sourceContents.map { $0.path + "\u{1}" + $0.data }
        result.cacheKey = ([instruction.keyword, destination, fromKey, expanded.chown ?? "", expanded.chmod ?? "", copy.link ? "link" : "",
            copy.parents ? "parents" : "", expanded.checksum ?? ""] + expanded.sources + ["\u{1}"] + contentKeys + ["\u{1}"]
            + copy.excludes).joined(separator: "\u{0}")
        return result
    }

    /// WORKDIR: an absolute path as given, a relative one joined to the current directory.
    public static func normalizeWorkdir(current: String, requested: String) -> String {
        if requested.isEmpty { return "" }
        if requested.hasPrefix("/") { return requested }
        return cleanPath("/" + current + "/" + requested)
    }

    /// COPY's destination: relative to the working directory, trailing `/` kept.
    public static func normalizeDestination(workingDir: String, requested: String) -> String {
        if requested.hasPrefix("/") { return requested }
        var destination = cleanPath("/" + workingDir + "/" + requested)
        if requested.hasSuffix("/") && destination != "/" { destination += "/" }
        return destination
    }

    /// Go's path.Clean for absolute paths.
    static func cleanPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

private func nonZero(_ value: Int64?) -> Int64? { (value ?? 0) == 0 ? nil : value }

extension CopyStep {
    /// The legacy builder's history text for this copy, given docker's source digest text
    /// (`file:<hex>`, `dir:<hex>` or `multi:<hex>`): `/bin/sh -c #(nop) COPY file:… in dst/ `,
    /// with docker's `--chown=u:g` glued to the digest (`COPY --chown=1:1file:…`).
    public func createdBy(sourceDigest: String) -> String {
        let chown = chown.map { "--chown=" + $0 } ?? ""
        return (shell + ["#(nop) \(isAdd ? "ADD" : "COPY") \(chown)\(sourceDigest) in \(requestedDestination) "]).joined(separator: " ")
    }
}
