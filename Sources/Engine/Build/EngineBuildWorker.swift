import Build
import Distribution
import Foundation
import Glibc
import ImageStore
import OCI

/// The engine as the builder's worker: images from the store, RUN through `Engine.runBuildStep`,
/// layers written through the image store, and the cache in `berth.db`.
public struct EngineBuildWorker: BuildWorker {
    /// The engine doing the work.
    public let engine: Engine
    /// Credentials for base-image pulls, by registry (`X-Registry-Config`).
    public let registryAuths: RegistryAuthConfigs

    /// Where base-image pulls report their progress (into the build's stream, as docker does).
    public let pullProgress: (@Sendable (BuildProgress) async -> Void)?

    /// A worker over `engine`.
    public init(engine: Engine, registryAuths: RegistryAuthConfigs = .init(),
                pullProgress: (@Sendable (BuildProgress) async -> Void)? = nil) {
        self.engine = engine
        self.registryAuths = registryAuths
        self.pullProgress = pullProgress
    }

    /// The image `reference` names: pulled first with `--pull`, and pulled when the store lacks it
    /// (docker's legacy builder does the same), with the credentials sent for its registry.
    public func baseImage(_ reference: String, pull: Bool) async throws -> ResolvedImage {
        if !pull, let found = try await local(reference) { return found }
        try await pullBase(reference, missing: !pull)
        return try await engine.resolveImage(reference)
    }

    /// The image from the store; nil when it is not there and a registry could have it.
    private func local(_ reference: String) async throws -> ResolvedImage? {
        let result: Result<ResolvedImage, EngineError>
        do { result = .success(try await engine.resolveImage(reference)) } catch { result = .failure(error) }
        switch result {
        case .success(let image): return image
        case .failure(let error):
            if error.kind == .notFound && Self.isPullable(reference) { return nil }
            throw error
        }
    }

    /// Pulls `reference` with the credentials for its registry. For a `missing` base the error
    /// keeps docker's "No such image" first.
    private func pullBase(_ reference: String, missing: Bool) async throws {
        let domain = (try? ImageReference(parsing: reference))?.domain ?? "docker.io"
        let credentials = registryAuths.credentials(forDomain: domain)
        // The registry client reports synchronously; the events are forwarded in order and all of
        // them before the step goes on.
        let (events, continuation) = AsyncStream<ProgressEvent>.makeStream()
        let report = pullProgress
        let forwarding = Task {
            for await event in events {
                await report?(.pull(BuildPullStatus(id: event.id, status: event.status, hasDetail: event.detail != nil,
                                                    current: event.detail?.current, total: event.detail?.total)))
            }
        }
        do {
            _ = try await engine.pull(reference, tag: nil, credentials: credentials, progress: { continuation.yield($0) })
            continuation.finish()
            await forwarding.value
        } catch {
            continuation.finish()
            await forwarding.value
            guard missing else { throw error }
            let shown = (try? ImageStore.normalizedName(reference)).map(Engine.familiarName) ?? reference
            throw EngineError(.notFound, "No such image: \(shown), and pulling it failed: \(error.message)")
        }
    }

    /// A name a registry could have (not an image ID).
    static func isPullable(_ reference: String) -> Bool {
        !reference.hasPrefix("sha256:") && !(reference.count == 64 && reference.allSatisfy(\.isHexDigit))
            && (try? ImageReference(parsing: reference)) != nil
    }

    public func run(_ request: BuildRunRequest, holder: String,
                    output: @escaping @Sendable ([UInt8]) async -> Void) async throws -> BuildRunOutcome {
        try await engine.runBuildStep(request, holder: holder, output: output)
    }

    public func addLayer(on parent: ResolvedImage?, reading other: ResolvedImage?, holder: String, sourceDateEpoch: Int64?,
                         skipEmpty: Bool, fill: @escaping @Sendable (String, String?, String) throws -> Void) async throws -> BuildLayer? {
        let store = engine.images
        return try await Blocking.run {
            let chain = try parent.map { try store.unpack($0) } ?? []
            let view = try Self.mountView(store, chain: chain)
            defer { Self.unmountView(store, view) }
            let otherView = try other.map { try Self.mountView(store, chain: try store.unpack($0)) }
            defer { if let otherView { Self.unmountView(store, otherView) } }
            let upper = try store.makeStepDirectory()
            do {
                try fill(view, otherView, upper)
                if skipEmpty, (try? FileManager.default.contentsOfDirectory(atPath: upper))?.isEmpty ?? true {
                    try? store.removeTree(upper)
                    return nil
                }
                let layer = try store.writeLayer(fromUpper: upper, holder: holder, sourceDateEpoch: sourceDateEpoch)
                let diffIDs = (parent?.diffIDs ?? []) + [layer.diffID]
                let chainID = ChainID.compute(diffIDs: diffIDs).last!
                try store.adoptSnapshot(upper, as: chainID, parent: chain.first, holder: holder)
                return BuildLayer(descriptor: layer.descriptor, diffID: layer.diffID)
            } catch {
                try? store.removeTree(upper)
                throw error
            }
        }
    }

    public func mountView(_ image: ResolvedImage?) async throws -> String {
        let store = engine.images
        return try await Blocking.run { try Self.mountView(store, chain: try image.map { try store.unpack($0) } ?? []) }
    }

    public func unmountView(_ path: String) async {
        let store = engine.images
        await Blocking.run { Self.unmountView(store, path) }
    }

    public func download(_ url: String, to path: String) async throws -> BuildDownload {
        do {
            let file = try await URLDownload.fetch(url, to: path)
            return BuildDownload(digest: file.digest, lastModified: file.lastModified, contentDisposition: file.contentDisposition)
        } catch {
            throw BuildError(error.description)
        }
    }

    public func cacheDirectory(_ id: String) async throws -> String {
        let hex = Digester.digest(of: Array(id.utf8)).encoded
        let path = engine.configuration.root + "/build/cache-mounts/" + hex
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A read-only view of the layers `chain` (top first) in a fresh directory; an empty one for none.
    static func mountView(_ store: ImageStore, chain: [Digest]) throws -> String {
        let view = try store.makeStepDirectory()
        guard !chain.isEmpty else { return view }
        do {
            try ContainerRootFS(snapshots: store.snapshots).mountReadOnly(lowerChain: chain, target: view)
        } catch {
            try? store.removeTree(view)
            throw error
        }
        return view
    }

    /// Unmounts (when mounted) and removes a view.
    static func unmountView(_ store: ImageStore, _ view: String) {
        if ContainerRootFS.isMounted(view) { try? ContainerRootFS.unmount(view, detachIfBusy: true) }
        guard !ContainerRootFS.isMounted(view) else { return }
        try? store.removeTree(view)
    }

    public func writeImage(layers: [Descriptor], config: ImageConfig, holder: String) async throws -> ResolvedImage {
        let store = engine.images
        return try await Blocking.run { try store.writeImage(layers: layers, config: config, holder: holder) }
    }

    public func cached(_ key: String) async -> ResolvedImage? {
        guard let entry = try? engine.buildCache.lookup(key) else { return nil }
        if let image = try? engine.images.resolve(manifest: entry.manifest) { return image }
        try? engine.buildCache.remove([key])
        return nil
    }

    public func remember(_ key: String, image: ResolvedImage) async throws {
        try engine.buildCache.store(key, manifest: image.manifestDescriptor)
    }

    public func name(_ image: ResolvedImage, as names: [String]) async throws {
        try await engine.nameBuiltImage(image, names: names)
    }

    public func release(holder: String) async {
        try? engine.images.release(holder: holder)
    }
}

extension Engine {
    /// Names a build's result (`-t`), publishing docker's tag events; untagged it stays dangling.
    func nameBuiltImage(_ image: ResolvedImage, names: [String]) throws(EngineError) {
        do {
            if names.isEmpty { try images.keepDangling(image) }
            for name in names {
                try images.name(image, as: name)
                publish(type: "image", action: "tag", id: image.id.string,
                        attributes: ["name": Self.familiarName((try? ImageStore.normalizedName(name)) ?? name)])
            }
        } catch let error as ImageStoreError {
            throw EngineError(.invalidParameter, error.description)
        } catch {
            throw EngineError.system("naming the built image: \(error)")
        }
    }
}
