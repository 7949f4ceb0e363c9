import Foundation
import ImageStore
import OCI

/// One stage being built: its current image, its `StageState`, and the results of earlier stages.
struct StageRun {
    let executor: BuildExecutor
    let holder: String
    let plan: BuildPlan
    /// Earlier stages' results by Dockerfile index (nil image: an empty scratch stage).
    let results: [Int: ResolvedImage?]
    var current: ResolvedImage?
    var state: StageState!
    /// The step being executed (nil while ONBUILD triggers run: their steps have no number).
    var stepNumber: Int?
    /// The build's number of steps.
    var stepTotal = 0

    init(executor: BuildExecutor, holder: String, plan: BuildPlan, results: [Int: ResolvedImage?]) {
        self.executor = executor; self.holder = holder; self.plan = plan; self.results = results
    }

    var options: BuildOptions { executor.options }
    var worker: any BuildWorker { executor.worker }
    func say(_ text: String) async { await executor.progress(.stream(text)) }

    /// Reports `phase` of the current step with docker's `text` (plain text inside triggers).
    func report(_ phase: BuildStepMark.Phase, _ text: String, name: String? = nil) async {
        guard let number = stepNumber else { return await say(text) }
        await executor.progress(.step(BuildStepMark(number: number, total: stepTotal, phase: phase, name: name), text))
    }

    /// Starts step `text` (the next number of `counter`).
    mutating func begin(_ text: String, counter: inout StepCounter) async {
        let line = counter.next(text)
        stepNumber = counter.current
        stepTotal = counter.total
        await report(.start, line, name: text)
    }

    /// FROM, the base's ONBUILD triggers, then every instruction; returns the stage's image.
    mutating func execute(_ planned: PlannedStage, counter: inout StepCounter) async throws -> ResolvedImage? {
        let from = planned.stage.from
        await begin(from.original, counter: &counter)
        switch planned.base {
        case .scratch:
            current = nil
        case .image(let reference):
            do {
                current = try await worker.baseImage(reference, pull: options.pull)
            } catch {
                throw BuildError("\(error)", line: from.lines.start, file: options.dockerfileName)
            }
        case .stage(let index):
            guard let result = results[index] else {
                throw BuildError("stage \(index) has not been built", line: from.lines.start, file: options.dockerfileName)
            }
            current = result
        }
        if let current { await report(.done, " ---> \(BuildExecutor.short(current.id))\n") }
        state = StageState(plan: plan, base: current?.config)
        var triggers: [Instruction] = []
        do { triggers = try state.takeOnBuildTriggers() } catch {
            throw BuildError("\(error.message)", line: from.lines.start, file: options.dockerfileName)
        }
        if !triggers.isEmpty { await say("# Executing \(triggers.count) build trigger\(triggers.count == 1 ? "" : "s")\n") }
        stepNumber = nil
        for trigger in triggers {
            try await step(trigger, line: from.lines.start)
        }
        for instruction in planned.stage.instructions {
            await begin(instruction.original, counter: &counter)
            try await step(instruction, line: instruction.lines.start)
        }
        return current
    }

    /// One instruction: the pure effect, then the cache, then the action.
    mutating func step(_ instruction: Instruction, line: Int) async throws {
        try Task.checkCancellation()
        let step: BuildStep
        do { step = try state.apply(instruction) } catch {
            throw error.inFile(options.dockerfileName)
        }
        do {
            switch step.action {
            case .metadata:
                try await metadata(step)
            case .run(let run):
                try await self.run(step, run)
            case .copy(let copy):
                try await self.copy(step, copy)
            case .workdir(let directory):
                try await workdir(step, directory)
            }
        } catch let error as BuildError {
            var located = error
            if located.line == nil { located.line = line; located.file = options.dockerfileName }
            throw located
        } catch let error as DockerfileError {
            throw error.inFile(options.dockerfileName)
        } catch {
            throw BuildError("\(error)", line: line, file: options.dockerfileName)
        }
    }

    var parentID: String { current?.id.string ?? "scratch" }

    /// Looks `key` up unless `--no-cache`; on a hit the stage moves to the cached image.
    mutating func useCache(_ key: String) async -> Bool {
        guard !options.noCache, let cached = await worker.cached(key) else { return false }
        current = cached
        await report(.cached, " ---> Using cache\n ---> \(BuildExecutor.short(cached.id))\n")
        return true
    }

    /// Commits the step's result and records it under `key`.
    mutating func finish(_ key: String, layer: BuildLayer?, history: History) async throws {
        let image = try await executor.commit(parent: current, config: state.image, layer: layer, history: history, holder: holder)
        try await worker.remember(key, image: image)
        current = image
        await report(.done, " ---> \(BuildExecutor.short(image.id))\n")
    }

    mutating func metadata(_ step: BuildStep) async throws {
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey])
        if await useCache(key) { return }
        try await finish(key, layer: nil, history: step.history)
    }

    mutating func workdir(_ step: BuildStep, _ directory: String) async throws {
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey])
        if await useCache(key) { return }
        let parts = ScopedPath.components(directory)
        let layer = try await worker.addLayer(on: current, reading: nil, holder: holder, sourceDateEpoch: options.sourceDateEpoch,
                                              skipEmpty: true) { view, _, upper in
            let resolved = try ScopedPath.resolve(directory, in: view, followFinal: true, refuseEscape: false)
            guard !CopySelection.isDirectory(ScopedPath.join(view, resolved)), !parts.isEmpty else { return }
            let writer = CopyWriter(view: view, upper: upper, ownership: CopyOwnership(uid: 0, gid: 0, mode: nil))
            try writer.makeParents(of: resolved + ["."])
        }
        try await finish(key, layer: layer, history: step.history)
    }
}
