import Foundation
import ImageStore
import OCI

/// What a pull did.
public struct PullResult: Sendable, Equatable {
    /// The normalized name given (`docker.io/library/busybox:latest`, or `…@sha256:…` for a digest pull).
    public var name: String
    /// What the name points at (manifest or index).
    public var target: Descriptor
    /// The image ID (config digest).
    public var imageID: Digest
    /// False when the name already pointed at this target and every layer was present.
    public var downloadedNewer: Bool
}

/// Pulls images from registries into an `ImageStore`: manifest (an index picks the store's
/// platform), config, then the layers — at most `concurrency` at once, each streamed into the
/// content store and visible only after its digest and size were checked, blobs already present
/// skipped — then unpacks the layers and names the image last.
public struct ImagePuller: Sendable {
    let transport: RegistryTransport
    let configuration: RegistryConfiguration
    let store: ImageStore
    let sources: BlobSources
    /// Layers downloaded at once (docker's default is 3).
    public var concurrency = 3

    /// A puller into `store`.
    public init(transport: RegistryTransport, configuration: RegistryConfiguration, store: ImageStore, sources: BlobSources) {
        self.transport = transport
        self.configuration = configuration
        self.store = store
        self.sources = sources
    }

    /// Pulls `reference` (with a tag or digest) using `credentials`, reporting to `progress`; an index
    /// gives its manifest for `platform` (the store's when nil).
    public func pull(_ reference: ImageReference, credentials: RegistryCredentials, platform: Platform? = nil,
                     progress: @escaping ProgressSink) async throws -> PullResult {
        let (repository, root) = try await resolve(reference, credentials: credentials)
        let familiar = reference.familiarString
        progress(ProgressEvent(id: reference.digest?.string ?? reference.tag ?? "latest",
                               status: "Pulling from " + reference.path))
        let (manifestDescriptor, manifest, index, documents) = try await pickManifest(
            root, in: repository, familiar: familiar, platform: platform ?? store.platform)
        let configBytes = try await repository.blobBytes(manifest.config)
        let config: ImageConfig
        do {
            config = try ImageConfig.decode(from: Data(configBytes))
        } catch {
            throw RegistryError.invalidManifest(reference: familiar, reason: "its config \(manifest.config.digest): \(error)")
        }
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw RegistryError.invalidManifest(
                reference: familiar,
                reason: "config \(manifest.config.digest) lists \(config.rootfs.diffIDs.count) diff IDs for \(manifest.layers.count) layers")
        }
        for layer in manifest.layers where MediaType.layerCompression(layer.mediaType) == nil {
            throw RegistryError.invalidManifest(reference: familiar, reason: "layer \(layer.digest) has unsupported media type \(layer.mediaType)")
        }

        // Hold everything this pull fetches against garbage collection until the image is named.
        let lease = "pull-" + UUID().uuidString
        let held = [root.descriptor, manifestDescriptor, manifest.config] + manifest.layers
        for descriptor in held { try store.metadata.addReference(kind: .lease, id: lease, target: descriptor.digest) }
        defer { _ = try? store.metadata.removeReference(kind: .lease, id: lease) }

        for document in documents {
            try store.content.write(bytes: document.bytes, mediaType: document.mediaType, expected: document.digest)
        }
        try store.content.write(bytes: configBytes, mediaType: manifest.config.mediaType, expected: manifest.config.digest)

        let downloaded = try await download(manifest.layers, from: repository, progress: progress)
        let repositoryName = reference.name
        for descriptor in [manifest.config] + manifest.layers { sources.add(descriptor.digest, repository: repositoryName) }

        let name = reference.string
        // A pull by tag also records `repo@<digest the registry served>`: docker's RepoDigest.
        let digestName = reference.digest == nil ? reference.name + "@" + root.descriptor.digest.string : nil
        let previous = try? store.metadata.image(named: name)
        // The name points at the index when the store would pick the same manifest from it; a manifest
        // pulled for another platform (--platform) is named directly, or the store could not resolve it.
        let native = index.map { $0.manifests(for: store.platform).first?.digest == manifestDescriptor.digest } ?? true
        let target = native ? root.descriptor : manifestDescriptor
        let image = PulledImage(target: target, index: native ? index : nil, manifestDescriptor: manifestDescriptor,
                                manifest: manifest, config: config)
        let layers = manifest.layers
        let imageStore = self.store
        try await Offload.run {
            try imageStore.commitPulled(image, name: name, digestName: digestName) { position, phase in
                let digest = layers[position].digest
                switch phase {
                case .extracting: progress(.transfer(digest, .extracting, current: 0, total: layers[position].size))
                case .complete:
                    progress(.transfer(digest, .extracting, current: layers[position].size, total: layers[position].size))
                    progress(.layer(digest, .pullComplete))
                case .alreadyUnpacked:
                    if downloaded.contains(digest) { progress(.layer(digest, .pullComplete)) }
                }
            }
        }
        let newer = previous?.target.digest != target.digest || !downloaded.isEmpty
        progress(ProgressEvent(status: "Digest: \(root.digest)"))
        progress(ProgressEvent(status: newer ? "Status: Downloaded newer image for \(familiar)" : "Status: Image is up to date for \(familiar)"))
        return PullResult(name: name, target: target, imageID: manifest.config.digest, downloadedNewer: newer)
    }

    // MARK: Manifest

    /// Connects to the first endpoint that serves `reference`'s manifest (mirrors first for Docker Hub).
    func resolve(_ reference: ImageReference, credentials: RegistryCredentials) async throws -> (RepositoryClient, FetchedManifest) {
        let endpoints = configuration.endpoints(for: reference.domain)
        var lastError: (any Error)?
        for endpoint in endpoints {
            var session = RegistrySession(transport: transport, endpoint: endpoint, credentials: credentials,
                                          scopes: [RegistrySession.repositoryScope(reference.path, actions: "pull")])
            do {
                try await session.connect()
                let repository = RepositoryClient(session: session, path: reference.path)
                let manifest = try await repository.manifest(reference.digest?.string ?? reference.tag ?? "latest",
                                                             familiar: reference.familiarString)
                return (repository, manifest)
            } catch {
                lastError = error
                if !endpoint.isMirror { throw error }
            }
        }
        throw lastError ?? RegistryError.unreachable(url: reference.domain, reason: "no endpoint")
    }

    /// The manifest for the store's platform: `root` itself, or picked from it (an index, possibly nested).
    /// Returns the documents fetched on the way (to store them).
    func pickManifest(_ root: FetchedManifest, in repository: RepositoryClient, familiar: String, platform: Platform) async throws
        -> (Descriptor, Manifest, Index?, [FetchedManifest]) {
        var current = root
        var documents = [root]
        var rootIndex: Index?
        for depth in 0..<4 {
            switch current.document {
            case .manifest(let manifest):
                return (current.descriptor, manifest, rootIndex, documents)
            case .index(let index):
                if depth == 0 { rootIndex = index }
                guard let chosen = index.manifests(for: platform).first else {
                    throw RegistryError.noMatchingPlatform(reference: familiar, platform: platform.description)
                }
                current = try await repository.manifest(chosen.digest.string, familiar: familiar)
                documents.append(current)
            }
        }
        throw RegistryError.invalidManifest(reference: familiar, reason: "indexes nested too deep")
    }

    // MARK: Layers

    /// Downloads of one layer tried at most (docker tries 5 times).
    static let attempts = 3

    /// True for failures worth another try: the connection, not the registry's answer or the bytes.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as RegistryError:
            if case .unreachable = error { return true }
            return false
        case is ContentError, is StoreFSError: return false
        case is CancellationError: return false
        default: return true
        }
    }

    /// Downloads the layers not in the content store, `concurrency` at a time; returns the digests downloaded.
    func download(_ layers: [Descriptor], from repository: RepositoryClient, progress: @escaping ProgressSink) async throws -> Set<Digest> {
        let content = store.content
        let plan = LayerPlan(layers: layers, concurrency: concurrency) { content.exists($0) }
        for event in plan.initialEvents { progress(event) }
        let wanted = plan.downloads
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func start() {
                let layer = wanted[next]
                next += 1
                group.addTask {
                    let throttle = ProgressThrottle()
                    var attempt = 1
                    while true {
                        do {
                            _ = try await repository.fetchBlob(layer, into: content, progress: { bytes in
                                if throttle.allow(final: bytes == layer.size) {
                                    progress(.transfer(layer.digest, .downloading, current: bytes, total: layer.size))
                                }
                            }, verifying: {
                                progress(.layer(layer.digest, .verifyingChecksum))
                            })
                            break
                        } catch {
                            // A dropped connection is tried again (from the start: the ingest left nothing);
                            // a registry's answer or a digest mismatch is not.
                            guard Self.isTransient(error), attempt < Self.attempts, !Task.isCancelled else { throw error }
                            progress(ProgressEvent(id: layer.digest.shortID, status: "Retrying in \(attempt) second\(attempt == 1 ? "" : "s")"))
                            try await Task.sleep(for: .seconds(attempt))
                            attempt += 1
                        }
                    }
                    progress(.layer(layer.digest, .downloadComplete))
                }
            }
            while next < min(concurrency, wanted.count) { start() }
            while try await group.next() != nil {
                if next < wanted.count { start() }
            }
        }
        return Set(wanted.map(\.digest))
    }
}
