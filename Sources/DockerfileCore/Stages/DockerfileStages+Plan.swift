extension DockerfileStages {
    /// Parses and types a Dockerfile, then splits it into stages.
    public static func parse(_ text: String) throws(DockerfileError) -> DockerfileStages {
        try DockerfileStages(Dockerfile.parse(text))
    }

    /// Splits typed instructions into global ARGs and stages; anything but ARG before the first FROM is an error.
    public init(_ dockerfile: Dockerfile) throws(DockerfileError) {
        var metaArgs: [Instruction] = []
        var stages: [BuildStage] = []
        for instruction in try dockerfile.instructions() {
            if case .from(let from) = instruction.command {
                stages.append(
                    BuildStage(
                        index: stages.count, name: from.stageName, baseName: from.baseName, platform: from.platform,
                        from: instruction, instructions: []))
                continue
            }
            if stages.isEmpty {
                guard case .arg = instruction.command else {
                    throw DockerfileError(.structure, "no build stage in current context").at(instruction.lines)
                }
                metaArgs.append(instruction)
                continue
            }
            stages[stages.count - 1].instructions.append(instruction)
        }
        self.init(metaArgs: metaArgs, stages: stages, escapeToken: dockerfile.escapeToken)
    }

    /// The stage a `--target` names (case-insensitive), or the last stage.
    public func targetStage(_ target: String?) throws(DockerfileError) -> BuildStage {
        guard let target, !target.isEmpty else {
            guard let last = stages.last else { throw DockerfileError(.structure, "file with no instructions") }
            return last
        }
        guard let stage = stages.first(where: { $0.name == target.lowercased() }) else {
            throw DockerfileError(.stage, "failed to reach build target \(target) in Dockerfile")
        }
        return stage
    }

    /// Plans a build: global ARGs with `--build-arg` overrides, FROM expanded, the stages the target
    /// needs (through FROM, `COPY --from` and `RUN --mount=from=`), unused build args.
    /// `automaticArgs` (e.g. `TARGETPLATFORM`) are global values a Dockerfile may use without declaring.
    public func plan(
        target: String? = nil, buildArgs: [String: String] = [:], automaticArgs: [String: String] = [:]
    ) throws(DockerfileError) -> BuildPlan {
        let lexer = ShellLexer(escapeToken: escapeToken)
        var globals = automaticArgs
        for instruction in metaArgs {
            guard case .arg(let definitions) = instruction.command else { continue }
            let environment = ShellEnvironment(globals)
            for definition in definitions {
                let name: String
                let defaultValue: String?
                do {
                    name = try lexer.processWord(definition.name, environment: environment)
                    defaultValue = try definition.defaultValue.map { value throws(DockerfileError) in
                        try lexer.processWord(value, environment: environment)
                    }
                } catch {
                    throw error.at(instruction.lines)
                }
                if let value = buildArgs[name] ?? defaultValue {
                    globals[name] = value
                } else {
                    globals.removeValue(forKey: name)
                }
            }
        }
        try checkCircularReferences()
        let globalEnvironment = ShellEnvironment(globals)
        var planned: [PlannedStage] = []
        for stage in stages {
            planned.append(try planStage(stage, lexer: lexer, environment: globalEnvironment))
        }
        let targetIndex = try targetStage(target).index
        var needed: Set<Int> = []
        var queue = [targetIndex]
        while let index = queue.popLast() {
            guard needed.insert(index).inserted else { continue }
            queue.append(contentsOf: planned[index].dependencies)
        }
        var declaredNames: Set<String> = []
        for instruction in metaArgs + stages.flatMap(\.instructions) {
            if case .arg(let definitions) = instruction.command { declaredNames.formUnion(definitions.map(\.name)) }
        }
        let unused = buildArgs.keys.filter { !declaredNames.contains($0) && !BuildArgScope.predefinedNames.contains($0) }.sorted()
        return BuildPlan(
            stages: planned.filter { needed.contains($0.stage.index) }, targetIndex: targetIndex, globalArgs: globals,
            buildArgs: buildArgs, unusedBuildArgs: unused, escapeToken: escapeToken)
    }

    private func planStage(_ stage: BuildStage, lexer: ShellLexer, environment: ShellEnvironment) throws(DockerfileError) -> PlannedStage {
        let name: String
        var platform: String?
        do throws(DockerfileError) {
            name = try lexer.processWord(stage.baseName, environment: environment)
            if let raw = stage.platform {
                let expanded = try lexer.processWord(raw, environment: environment)
                guard !expanded.isEmpty else { throw DockerfileError(.syntax, "empty platform value from expression \(raw)") }
                platform = expanded
            }
        } catch {
            throw error.at(stage.from.lines)
        }
        guard !name.isEmpty else {
            throw DockerfileError(.syntax, "base name (\(stage.baseName)) should not be blank").at(stage.from.lines)
        }
        let base: StageBase
        if name == "scratch" {
            base = .scratch
        } else if let earlier = stages[..<stage.index].last(where: { $0.name == name.lowercased() }) {
            base = .stage(earlier.index)
        } else {
            base = .image(name)
        }
        var dependencies: [Int] = []
        if case .stage(let index) = base { dependencies.append(index) }
        for instruction in stage.instructions {
            for reference in try sourceReferences(of: instruction) {
                if case .stage(let index) = try resolveSource(reference, in: stage, lines: instruction.lines),
                    !dependencies.contains(index)
                {
                    dependencies.append(index)
                }
            }
        }
        return PlannedStage(stage: stage, base: base, platform: platform, dependencies: dependencies)
    }

    /// Reports stages that read each other through `COPY --from`/`--mount from=` (buildkit's
    /// "circular dependency detected on stage"), before the "defined before" check would.
    private func checkCircularReferences() throws(DockerfileError) {
        var edges: [[(target: Int, lines: SourceLines)]] = Array(repeating: [], count: stages.count)
        for stage in stages {
            if let earlier = stages[..<stage.index].last(where: { $0.name == stage.baseName.lowercased() }) {
                edges[stage.index].append((earlier.index, stage.from.lines))
            }
            for instruction in stage.instructions {
                for reference in try sourceReferences(of: instruction) {
                    let target = Int(reference) ?? stages.first(where: { $0.name == reference.lowercased() })?.index
                    if let target, target >= 0, target < stages.count { edges[stage.index].append((target, instruction.lines)) }
                }
            }
        }
        var state = Array(repeating: 0, count: stages.count)  // 0 new, 1 on the path, 2 done
        func visit(_ index: Int) -> SourceLines? {
            state[index] = 1
            for edge in edges[index] {
                if state[edge.target] == 1 { return edge.lines }
                if state[edge.target] == 0, let lines = visit(edge.target) { return lines }
            }
            state[index] = 2
            return nil
        }
        for stage in stages where state[stage.index] == 0 {
            if let lines = visit(stage.index) {
                throw DockerfileError(.stage, "circular dependency detected on stage: \(stage.name ?? String(stage.index))").at(lines)
            }
        }
    }

    /// `--from` values an instruction reads (COPY --from, RUN --mount from=).
    private func sourceReferences(of instruction: Instruction) throws(DockerfileError) -> [String] {
        switch instruction.command {
        case .copy(let copy):
            return copy.from.map { [$0] } ?? []
        case .run(let run):
            var references: [String] = []
            for spec in run.mountSpecs {
                guard let fields = RunMount.csvFields(spec) else { continue }
                for field in fields {
                    if let equals = field.firstIndex(of: "="), field[..<equals].lowercased() == "from" {
                        references.append(String(field[field.index(after: equals)...]))
                    }
                }
            }
            return references
        default:
            return []
        }
    }

    /// Resolves a `--from` value inside `stage`: an earlier stage by name or index, else an image.
    public func resolveSource(_ reference: String, in stage: BuildStage, lines: SourceLines) throws(DockerfileError) -> CopySource {
        let unexpanded = (try? ShellLexer(escapeToken: escapeToken).processWord(reference, environment: ShellEnvironment())) ?? ""
        guard unexpanded == reference else {
            throw DockerfileError(
                .stage,
                "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround"
            ).at(lines)
        }
        if let index = Int(reference) {
            guard index >= 0, index < stage.index else {
                throw DockerfileError(.stage, "invalid stage index \(index)").at(lines)
            }
            return .stage(index)
        }
        let name = reference.lowercased()
        if let earlier = stages[..<stage.index].last(where: { $0.name == name }) {
            return .stage(earlier.index)
        }
        if stages[stage.index...].contains(where: { $0.name == name }) {
            let current = stage.name ?? String(stage.index)
            throw DockerfileError(
                .stage, "cannot copy from stage \(goQuote(reference)), it needs to be defined before current stage \(goQuote(current))"
            ).at(lines)
        }
        return .image(reference)
    }
}
