import Crypto
import Foundation
import ImageStore
import OCI

/// Runs a Dockerfile against a worker, as docker's legacy builder does: the plan's stages in order
/// (only those the target needs), each instruction through `StageState` (the pure half) and its
/// action through the worker (RUN in a container, COPY/ADD/WORKDIR as layers, metadata as config),
/// each step's result looked up in and recorded to the build cache, the result named at the end.
///
/// A failing step leaves the cache as it was and names nothing; what the build held is released.
public struct BuildExecutor: Sendable {
    /// Who performs the side effects.
    public let worker: any BuildWorker
    /// The extracted build context (nil: none was sent).
    public let context: String?
    /// The options.
    public let options: BuildOptions
    /// Where progress goes.
    public let progress: @Sendable (BuildProgress) async -> Void
    /// Content digests known for the context's files (a synced context's), reused by COPY's cache keys.
    public let contextDigests: ContextDigests

    /// An executor.
    public init(worker: any BuildWorker, context: String?, options: BuildOptions, contextDigests: ContextDigests = ContextDigests(),
                progress: @escaping @Sendable (BuildProgress) async -> Void) {
        self.worker = worker; self.context = context; self.options = options; self.progress = progress
        self.contextDigests = contextDigests
    }

    /// Builds; returns the image (named with the options' tags). A cancelled task stops between
    /// steps (the worker stops a running RUN) and names nothing.
    public func build() async throws -> ResolvedImage {
        let holder = "build:" + UUID().uuidString.lowercased()
        do {
            let image = try await buildHeld(holder)
            await worker.release(holder: holder)
            return image
        } catch {
            await worker.release(holder: holder)
            throw error
        }
    }

    private func buildHeld(_ holder: String) async throws -> ResolvedImage {
        let file = options.dockerfileName
        let plan: BuildPlan
        do {
            plan = try DockerfileStages.parse(options.dockerfile).plan(target: options.target, buildArgs: options.buildArgs)
        } catch {
            throw error.inFile(file)
        }
        var results: [Int: ResolvedImage?] = [:]
        let total = plan.stages.reduce(0) { $0 + 1 + $1.stage.instructions.count } + (options.labels.isEmpty ? 0 : 1)
        var counter = StepCounter(total: total)
        for planned in plan.stages {
            var run = StageRun(executor: self, holder: holder, plan: plan, results: results)
            results[planned.stage.index] = .some(try await run.execute(planned, counter: &counter))
        }
        guard var image = results[plan.targetIndex] ?? nil else {
            throw BuildError("No image was generated. Is your Dockerfile empty?")
        }
        if !options.labels.isEmpty {
            image = try await applyLabels(to: image, holder: holder, counter: &counter)
        }
        try Task.checkCancellation()
        await progress(.imageID(image.id.string))
        try await worker.name(image, as: options.tags)
        return image
    }

    /// docker's `--label`: one more LABEL step on the result.
    private func applyLabels(to image: ResolvedImage, holder: String, counter: inout StepCounter) async throws -> ResolvedImage {
        let pairs = options.labels.sorted { $0.key < $1.key }
        let text = "LABEL " + pairs.map { "\"\($0.key)\"=\"\($0.value)\"" }.joined(separator: " ")
        let line = counter.next(text)
        let number = counter.current, total = counter.total
        func mark(_ phase: BuildStepMark.Phase) -> BuildStepMark {
            BuildStepMark(number: number, total: total, phase: phase, name: phase == .start ? text : nil)
        }
        await progress(.step(mark(.start), line))
        let key = Self.cacheKey(parent: image.id.string, parts: [text])
        if !options.noCache, let cached = await worker.cached(key) {
            await progress(.step(mark(.cached), " ---> Using cache\n ---> \(Self.short(cached.id))\n"))
            return cached
        }
        var config = image.config
        var run = config.config ?? ContainerConfig()
        run.labels = (run.labels ?? [:]).merging(options.labels) { _, new in new }
        config.config = run
        let history = History(createdBy: "/bin/sh -c #(nop)  " + text, emptyLayer: true)
        let result = try await commit(parent: image, config: config, layer: nil, history: history, holder: holder)
        try await worker.remember(key, image: result)
        await progress(.step(mark(.done), " ---> \(Self.short(result.id))\n"))
        return result
    }

    /// Writes the image that results from a step: `config` (the stage's) with the parent's layers
    /// plus `layer`, and the parent's history plus `history`, dated now or SOURCE_DATE_EPOCH.
    func commit(parent: ResolvedImage?, config: ImageConfig, layer: BuildLayer?, history: History, holder: String) async throws -> ResolvedImage {
        var image = config
        let created = Self.timestamp(options.sourceDateEpoch)
        image.created = created
        var entry = history
        entry.created = created
        if layer == nil { entry.emptyLayer = true } else { entry.emptyLayer = nil }
        let parentHistory = parent?.config.history ?? []
        image.history = parentHistory + [entry]
        var layers = parent?.layers ?? []
        var diffIDs = parent?.diffIDs ?? []
        if let layer {
            layers.append(layer.descriptor)
            diffIDs.append(layer.diffID)
        }
        image.rootfs = RootFS(diffIDs: diffIDs)
        return try await worker.writeImage(layers: layers, config: image, holder: holder)
    }

    /// The cache key of a step: its parent image and what the step depends on.
    static func cacheKey(parent: String, parts: [String]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array((["berth-build-v1", parent] + parts).joined(separator: "\u{0}").utf8))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// RFC 3339 time of now, or of `epoch`.
    static func timestamp(_ epoch: Int64?) -> String {
        let date = epoch.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = epoch == nil ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// The 12 hex digits docker shows of an image ID.
    static func short(_ id: OCI.Digest) -> String { String(id.encoded.prefix(12)) }
}

/// `Step 3/7 : …` numbering across stages.
struct StepCounter {
    let total: Int
    var current = 0

    mutating func next(_ text: String) -> String {
        current += 1
        return "Step \(current)/\(total) : \(text)\n"
    }
}
