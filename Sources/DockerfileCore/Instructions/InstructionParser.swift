import OCI

extension Dockerfile {
    /// Types every instruction (docker's instructions.ParseInstruction), in order.
    public func instructions() throws(DockerfileError) -> [Instruction] {
        var result: [Instruction] = []
        for node in nodes {
            result.append(try Instruction(node: node))
        }
        return result
    }
}

extension Instruction {
    /// Types one parsed node; errors carry the node's lines.
    public init(node: DockerfileNode) throws(DockerfileError) {
        do {
            self.init(
                command: try InstructionParser.command(node), keyword: node.keyword.uppercased(), lines: node.lines,
                original: node.original)
        } catch {
            throw error.at(node.lines)
        }
    }
}

/// The per-instruction argument and flag rules of docker's instructions package.
enum InstructionParser {
    static func command(_ node: DockerfileNode) throws(DockerfileError) -> InstructionCommand {
        let args = node.arguments.flattened
        var flags = BuildFlags(node.flags)
        let keyword = node.keyword.uppercased()
        switch node.command {
        case "env", "label":
            try flags.parse()
            guard case .keyValues(let pairs) = node.arguments, !pairs.isEmpty else {
                throw DockerfileError(.arguments, "\(keyword) requires at least one argument")
            }
            if pairs.contains(where: { $0.key.isEmpty }) {
                throw DockerfileError(.arguments, "\(keyword) names can not be blank")
            }
            return keyword == "ENV" ? .env(pairs) : .label(pairs)
        case "maintainer":
            guard args.count == 1 else { throw DockerfileError(.arguments, "MAINTAINER requires exactly one argument") }
            try flags.parse()
            return .maintainer(args[0])
        case "add", "copy":
            guard args.count >= 2 else {
                throw DockerfileError(
                    .arguments,
                    "\(keyword) requires at least two arguments, but only one was provided. Destination could not be determined")
            }
            flags.declare("chown", .string)
            flags.declare("chmod", .string)
            flags.declare("link", .bool)
            flags.declare("exclude", .strings)
            if keyword == "ADD" {
                flags.declare("keep-git-dir", .bool)
                flags.declare("checksum", .string)
                flags.declare("unpack", .bool)
            } else {
                flags.declare("from", .string)
                flags.declare("parents", .bool)
            }
            try flags.parse()
            var copy = try sourcesAndDestination(args, heredocs: node.heredocs, keyword: keyword)
            copy.chown = flags.string("chown")
            copy.chmod = flags.string("chmod")
            copy.link = flags.bool("link")
            copy.excludes = flags.lists["exclude"] ?? []
            if keyword == "ADD" {
                copy.checksum = flags.string("checksum")
                copy.keepGitDir = flags.used.contains("keep-git-dir") ? flags.bool("keep-git-dir") : nil
                copy.unpack = flags.used.contains("unpack") ? flags.bool("unpack") : nil
                return .add(copy)
            }
            copy.from = flags.string("from")
            copy.parents = flags.bool("parents")
            return .copy(copy)
        case "from":
            var stageName: String?
            if args.count == 3 && args[1].lowercased() == "as" {
                let name = args[2].lowercased()
                guard isValidStageName(name) else {
                    throw DockerfileError(
                        .syntax, "invalid name for build stage: \(goQuote(args[2])), name can't start with a number or contain symbols")
                }
                stageName = name
            } else if args.count != 1 {
                throw DockerfileError(.arguments, "FROM requires either one or three arguments")
            }
            flags.declare("platform", .string)
            try flags.parse()
            return .from(FromInstruction(baseName: args[0], stageName: stageName, platform: flags.string("platform")))
        case "onbuild":
            guard case .instruction(let triggerNode) = node.arguments else {
                throw DockerfileError(.arguments, "ONBUILD requires at least one argument")
            }
            try flags.parse()
            let trigger = triggerNode.keyword.uppercased()
            switch trigger {
            case "ONBUILD": throw DockerfileError(.syntax, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
            case "MAINTAINER", "FROM": throw DockerfileError(.syntax, "\(trigger) isn't allowed as an ONBUILD trigger")
            default: break
            }
            var expression = stripOnbuildKeyword(node.original)
            for heredoc in node.heredocs {
                expression += "\n" + heredoc.content + heredoc.name
            }
            var typedNode = triggerNode
            typedNode.heredocs = node.heredocs
            typedNode.lines = node.lines
            let typed = try? Instruction(node: typedNode)
            return .onbuild(expression: expression, trigger: typed)
        case "workdir":
            guard args.count == 1 else { throw DockerfileError(.arguments, "WORKDIR requires exactly one argument") }
            try flags.parse()
            return .workdir(args[0])
        case "run":
            flags.declare("mount", .strings)
            flags.declare("network", .string)
            flags.declare("security", .string)
            try flags.parse()
            let network = flags.string("network") ?? "default"
            guard let mode = RunNetwork(rawValue: network) else {
                throw DockerfileError(.flag, "invalid network mode \(goQuote(network))")
            }
            let securityValue = flags.string("security") ?? "sandbox"
            guard let security = RunSecurity(rawValue: securityValue) else {
                throw DockerfileError(.flag, "security \(securityValue) is not valid")
            }
            let mountSpecs = flags.lists["mount"] ?? []
            for spec in mountSpecs { try RunMount.checkFrom(spec) }
            return .run(
                RunInstruction(
                    commandLine: commandLine(node, emptyAsNil: false), mountSpecs: mountSpecs, network: mode, security: security,
                    flagsUsed: flags.used.sorted()))
        case "cmd":
            try flags.parse()
            return .cmd(commandLine(node, emptyAsNil: false))
        case "entrypoint":
            try flags.parse()
            return .entrypoint(commandLine(node, emptyAsNil: true))
        case "healthcheck":
            return .healthcheck(try healthcheck(args, isJSON: node.isJSON, flags: &flags))
        case "expose":
            guard !args.isEmpty else { throw DockerfileError(.arguments, "EXPOSE requires at least one argument") }
            try flags.parse()
            return .expose(args.sorted())
        case "user":
            guard args.count == 1 else { throw DockerfileError(.arguments, "USER requires exactly one argument") }
            try flags.parse()
            return .user(args[0])
        case "volume":
            guard !args.isEmpty else { throw DockerfileError(.arguments, "VOLUME requires at least one argument") }
            try flags.parse()
            var volumes: [String] = []
            for volume in args {
                let trimmed = LineParsers.trimSpace(volume)
                guard !trimmed.isEmpty else { throw DockerfileError(.arguments, "VOLUME specified can not be an empty string") }
                volumes.append(trimmed)
            }
            return .volume(volumes)
        case "stopsignal":
            guard args.count == 1 else { throw DockerfileError(.arguments, "STOPSIGNAL requires exactly one argument") }
            return .stopSignal(args[0])
        case "arg":
            guard !args.isEmpty else { throw DockerfileError(.arguments, "ARG requires at least one argument") }
            var definitions: [ArgDefinition] = []
            for arg in args {
                if let equals = arg.firstIndex(of: "=") {
                    let name = String(arg[..<equals])
                    guard !name.isEmpty else { throw DockerfileError(.arguments, "ARG names can not be blank") }
                    definitions.append(ArgDefinition(name: name, defaultValue: String(arg[arg.index(after: equals)...])))
                } else {
                    definitions.append(ArgDefinition(name: arg))
                }
            }
            return .arg(definitions)
        case "shell":
            try flags.parse()
            let shell = joinedArguments(args, isJSON: node.isJSON)
            guard !shell.isEmpty else { throw DockerfileError(.arguments, "SHELL requires at least one argument") }
            guard node.isJSON else {
                throw DockerfileError(.syntax, "SHELL requires the arguments to be in JSON form")
            }
            return .shell(shell)
        default:
            throw DockerfileError(.unknownInstruction, "unknown instruction: \(node.keyword)")
        }
    }

    /// Stage names: `^[a-z][a-z0-9-_.]*$`.
    static func isValidStageName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.value >= 0x61 && first.value <= 0x7A else { return false }
        return name.unicodeScalars.allSatisfy { ch in
            (ch.value >= 0x61 && ch.value <= 0x7A) || (ch.value >= 0x30 && ch.value <= 0x39) || ch == "-" || ch == "_" || ch == "."
        }
    }

    /// Removes a leading `ONBUILD` keyword (any case) and the spaces around it.
    static func stripOnbuildKeyword(_ original: String) -> String {
        var scalars = Array(original.unicodeScalars)[...]
        while let ch = scalars.first, isGoSpace(ch) { scalars = scalars.dropFirst() }
        let keyword = String(String.UnicodeScalarView(scalars.prefix(7)))
        guard keyword.uppercased() == "ONBUILD" else { return original }
        scalars = scalars.dropFirst(7)
        while let ch = scalars.first, isGoSpace(ch) { scalars = scalars.dropFirst() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Exec form: the items; shell form: the words joined into one string (docker's handleJSONArgs).
    static func joinedArguments(_ args: [String], isJSON: Bool) -> [String] {
        if args.isEmpty { return [] }
        return isJSON ? args : [args.joined(separator: " ")]
    }

    static func commandLine(_ node: DockerfileNode, emptyAsNil: Bool) -> ShellCommandLine {
        let files = node.heredocs.map { HeredocFile(name: $0.name, data: $0.content, chomp: $0.chomp) }
        return ShellCommandLine(
            arguments: joinedArguments(node.arguments.flattened, isJSON: node.isJSON), prependShell: !node.isJSON, files: files)
    }

    static func sourcesAndDestination(_ args: [String], heredocs: [Heredoc], keyword: String) throws(DockerfileError) -> CopyInstruction {
        let destination = args[args.count - 1]
        if (try? HeredocParsing.parse(destination)) ?? nil != nil {
            throw DockerfileError(.heredoc, "\(keyword) cannot accept a heredoc as a destination")
        }
        var byName: [String: Heredoc] = [:]
        for heredoc in heredocs { byName[heredoc.name] = heredoc }
        var paths: [String] = []
        var contents: [HeredocSource] = []
        for source in args.dropLast() {
            if let marker = (try? HeredocParsing.parse(source)) ?? nil {
                var content = byName[marker.name]?.content ?? ""
                if marker.chomp { content = HeredocParsing.chomp(content) }
                contents.append(HeredocSource(path: marker.name, data: content, expand: marker.expand))
            } else {
                paths.append(source)
            }
        }
        return CopyInstruction(sources: paths, sourceContents: contents, destination: destination)
    }

    static func healthcheck(_ args: [String], isJSON: Bool, flags: inout BuildFlags) throws(DockerfileError) -> Healthcheck {
        guard let first = args.first else { throw DockerfileError(.arguments, "HEALTHCHECK requires at least one argument") }
        var type = first.uppercased()
        let rest = Array(args.dropFirst())
        if type == "NONE" {
            guard rest.isEmpty else { throw DockerfileError(.arguments, "HEALTHCHECK NONE takes no arguments") }
            return Healthcheck(test: ["NONE"])
        }
        for name in ["interval", "timeout", "start-period", "start-interval", "retries"] { flags.declare(name, .string) }
        try flags.parse()
        guard type == "CMD" else { throw DockerfileError(.arguments, "Unknown type \(goQuote(type)) in HEALTHCHECK (try CMD)") }
        let command = joinedArguments(rest, isJSON: isJSON)
        guard !command.isEmpty else { throw DockerfileError(.arguments, "Missing command after HEALTHCHECK CMD") }
        if !isJSON { type = "CMD-SHELL" }
        var check = Healthcheck(test: [type] + command)
        check.interval = try interval(flags.string("interval"), name: "interval")
        check.timeout = try interval(flags.string("timeout"), name: "timeout")
        check.startPeriod = try interval(flags.string("start-period"), name: "start-period")
        check.startInterval = try interval(flags.string("start-interval"), name: "start-interval")
        if let retries = flags.string("retries"), !retries.isEmpty {
            guard let value = Int32(retries) else {
                throw DockerfileError(.flag, "strconv.ParseInt: parsing \(goQuote(retries)): invalid syntax")
            }
            guard value >= 0 else { throw DockerfileError(.flag, "--retries cannot be negative (\(value))") }
            check.retries = Int(value)
        } else {
            check.retries = 0
        }
        return check
    }

    /// A HEALTHCHECK duration flag in ns: 0 when absent; at least 1ms when given.
    static func interval(_ value: String?, name: String) throws(DockerfileError) -> Int64 {
        guard let value, !value.isEmpty else { return 0 }
        guard let duration = GoFormat.parseDuration(value) else {
            throw DockerfileError(.flag, "time: invalid duration \(goQuote(value))")
        }
        if duration == 0 { return 0 }
        guard duration >= 1_000_000 else { throw DockerfileError(.flag, "Interval \(goQuote(name)) cannot be less than 1ms") }
        return duration
    }
}
