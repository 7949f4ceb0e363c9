import Build
import Distribution
import Foundation
import ImageStore
import OCI

/// What `POST /build` asked for, besides the options the executor reads.
public struct BuildRequest: Sendable {
    /// The context tar (plain or compressed) in a file, nil when no body was sent.
    public var contextArchive: String?
    /// A synced context's view (`berth build`), used instead of an archive and removed afterwards.
    public var synced: SyncedBuildContext?
    /// The Dockerfile's path inside the context (`dockerfile` query, default `Dockerfile`).
    public var dockerfilePath: String
    /// The executor's options (the Dockerfile text is read from the context).
    public var options: BuildOptions
    /// Credentials for pulling base images (`X-Registry-Config`).
    public var registryAuths: RegistryAuthConfigs

    /// A request with a context tar (docker's `POST /build`).
    public init(contextArchive: String?, dockerfilePath: String, options: BuildOptions, registryAuths: RegistryAuthConfigs = .init()) {
        self.contextArchive = contextArchive; self.dockerfilePath = dockerfilePath; self.options = options
        self.registryAuths = registryAuths
    }

    /// A request with a synced context (`POST /build/contexts/{key}/build`).
    public init(synced: SyncedBuildContext, dockerfilePath: String, options: BuildOptions, registryAuths: RegistryAuthConfigs = .init()) {
        self.synced = synced; self.dockerfilePath = dockerfilePath; self.options = options
        self.registryAuths = registryAuths
    }
}

extension Engine {
    /// A build: the context extracted (entries are checked to stay inside it) or a synced context's
    /// view taken, the Dockerfile read from it, the executor run with this engine as its worker, the
    /// context removed afterwards.
    nonisolated public func build(_ request: BuildRequest, progress: @escaping @Sendable (BuildProgress) async -> Void) async throws -> ResolvedImage {
        let store = images
        var clock = StepClock()
        let context = try request.synced?.directory ?? store.makeStepDirectory()
        defer { try? store.removeTree(context) }
        if request.synced == nil, let archive = request.contextArchive {
            do {
                _ = try await Blocking.run { try LayerApplier().apply(layerAt: archive, to: context, mode: .flattened) }
            } catch {
                throw BuildError("reading the build context: \(error)")
            }
        }
        clock.mark("extract context")
        var options = request.options
        let name = request.dockerfilePath.isEmpty ? "Dockerfile" : request.dockerfilePath
        if let text = request.synced?.dockerfile {
            options.dockerfile = text
            options.dockerfileName = "Dockerfile"
        } else {
            let parts: [String]
            do {
                parts = try ScopedPath.resolve(name, in: context, followFinal: true, refuseEscape: true)
            } catch {
                throw BuildError("the Dockerfile (\(name)) must be within the build context")
            }
            guard let data = FileManager.default.contents(atPath: ScopedPath.join(context, parts)) else {
                throw BuildError("Cannot locate specified Dockerfile: \(name)")
            }
            options.dockerfile = String(decoding: data, as: UTF8.self)
            if options.dockerfileName.isEmpty || options.dockerfileName == "Dockerfile" {
                options.dockerfileName = (name.hasPrefix(".dockerfile.") ? "Dockerfile" : name)
            }
        }
        let executor = BuildExecutor(worker: EngineBuildWorker(engine: self, registryAuths: request.registryAuths, pullProgress: progress),
                                     context: context, options: options,
                                     contextDigests: request.synced?.digests ?? ContextDigests(), progress: progress)
        let image = try await executor.build()
        clock.mark("steps")
        try? store.removeTree(context)
        clock.mark("remove context")
        logger.debug("built \(image.id.encoded.prefix(12)): \(clock.report)")
        await publish(type: "image", action: "build", id: image.id.string)
        return image
    }

    /// `POST /build/prune`: forgets every cache entry (all, or those unused for `keepSeconds`) and
    /// collects what only they held; removes the synced build contexts not in use (or unused as long). Returns the cache keys removed and the bytes freed.
    public func pruneBuildCache(olderThan seconds: Double? = nil) async throws(EngineError) -> (removed: [String], space: Int64) {
        do {
            let now = Date().timeIntervalSince1970
            let entries = try buildCache.all().filter { entry in seconds.map { now - entry.lastUsed > $0 } ?? true }
            try buildCache.remove(entries.map(\.key))
            let store = images
            let result = try await Blocking.run { try store.gc() }
            try? FileManager.default.removeItem(atPath: configuration.root + "/build/cache-mounts")
            let contexts = await buildContexts.prune(olderThan: seconds)
            return (entries.map(\.key) + contexts.keys.map { "context:" + $0 }, result.totalBytes + contexts.bytes)
        } catch {
            throw EngineError.system("pruning the build cache: \(error)")
        }
    }
}
