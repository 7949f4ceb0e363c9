import Foundation
import ImageStore
import OCI

/// Pushes images from an `ImageStore` to a registry: each layer (and the config) is checked with
/// `HEAD` and skipped when the repository has it, mounted from another repository of the same
/// registry it is known to be in, or else uploaded (`POST`, then one streamed `PUT ?digest=`);
/// at most `concurrency` at once. The manifest goes last, as its stored bytes, under the tag.
public struct ImagePusher: Sendable {
    let transport: RegistryTransport
    let configuration: RegistryConfiguration
    let store: ImageStore
    let sources: BlobSources
    /// Layers uploaded at once (docker's default is 5).
    public var concurrency = 5

    /// A pusher from `store`.
    public init(transport: RegistryTransport, configuration: RegistryConfiguration, store: ImageStore, sources: BlobSources) {
        self.transport = transport
        self.configuration = configuration
        self.store = store
        self.sources = sources
    }

    /// The local names to push for `repository` (normalized, without tag): `tag`'s, or every tag of it when nil.
    public func names(for repository: ImageReference, tag: String?) throws -> [ImageReference] {
        if let tag {
            let named = try repository.withTag(tag)
            guard (try store.metadata.image(named: named.string)) != nil else {
                throw RegistryError.noLocalImage(named.familiarString)
            }
            return [named]
        }
        let all = try store.list().compactMap { $0.name.flatMap { try? ImageReference(parsing: $0) } }
            .filter { $0.name == repository.name && $0.tag != nil }
            .sorted { $0.string < $1.string }
        guard !all.isEmpty else { throw RegistryError.noLocalImage(repository.familiarName) }
        return all
    }

    /// Pushes each of `names` (all in one repository) with `credentials`.
    public func push(_ names: [ImageReference], credentials: RegistryCredentials, progress: @escaping ProgressSink) async throws -> [PushedTag] {
        guard let first = names.first else { return [] }
        progress(ProgressEvent(status: "The push refers to repository [\(first.name)]"))
        let endpoint = configuration.endpoints(for: first.domain, forPush: true)[0]
        var session = RegistrySession(transport: transport, endpoint: endpoint, credentials: credentials,
                                      scopes: [RegistrySession.repositoryScope(first.path, actions: "pull,push")])
        try await session.connect()
        var results: [PushedTag] = []
        for name in names {
            results.append(try await pushOne(name, session: session, progress: progress))
        }
        return results
    }

    /// Pushes one tagged image.
    func pushOne(_ name: ImageReference, session: RegistrySession, progress: @escaping ProgressSink) async throws -> PushedTag {
        let image = try store.resolve(name.string)
        let repository = RepositoryClient(session: session, path: name.path)
        let layers = image.layers
        for layer in layers {
            guard store.content.exists(layer.digest) else { throw RegistryError.missingLocalBlob(layer.digest, role: "layer of \(name.familiarString)") }
        }
        var unique: [Descriptor] = []
        for layer in layers where !unique.contains(where: { $0.digest == layer.digest }) { unique.append(layer) }
        for layer in unique { progress(.layer(layer.digest, .preparing)) }
        for layer in unique.dropFirst(concurrency) { progress(.layer(layer.digest, .waiting)) }
        let domain = name.domain
        let target = name.name
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func start() {
                let layer = unique[next]
                next += 1
                group.addTask {
                    try await self.pushBlob(layer, to: repository, domain: domain, repositoryName: target, progress: progress)
                }
            }
            while next < min(concurrency, unique.count) { start() }
            while try await group.next() != nil {
                if next < unique.count { start() }
            }
        }
        try await pushBlob(image.manifest.config, to: repository, domain: domain, repositoryName: target, progress: nil)
        let bytes = try store.content.read(image.manifestDescriptor.digest)
        let tag = name.tag ?? "latest"
        let digest = try await repository.putManifest(bytes, mediaType: image.manifestDescriptor.mediaType, reference: tag)
        let pushed = PushedTag(tag: tag, digest: digest, size: Int64(bytes.count))
        progress(ProgressEvent(status: "\(tag): digest: \(digest) size: \(bytes.count)"))
        progress(ProgressEvent(status: "", detail: ProgressEvent.Detail(), pushed: pushed))
        return pushed
    }

    /// Opens an upload, asking to mount `digest` from `mountPath` when given; without pull access to
    /// the source repository the mount is dropped and a plain upload opened.
    func startUpload(_ repository: RepositoryClient, digest: Digest, mountPath: String?) async throws -> RepositoryClient.UploadStart {
        guard let mountPath else { return try await repository.startUpload() }
        let result: Result<RepositoryClient.UploadStart, RegistryError>
        do {
            result = .success(try await repository.startUpload(mount: digest, from: mountPath))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let start): return start
        case .failure(let error) where error.isUnauthorized: return try await repository.startUpload()
        case .failure(let error): throw error
        }
    }

    /// Sends one blob unless the repository has it; mounts it when another repository of the same
    /// registry is known to hold it. `progress` nil pushes quietly (the config).
    func pushBlob(_ descriptor: Descriptor, to repository: RepositoryClient, domain: String, repositoryName: String,
                  progress: ProgressSink?) async throws {
        let digest = descriptor.digest
        if try await repository.blobExists(digest) {
            progress?(.layer(digest, .layerAlreadyExists))
            sources.add(digest, repository: repositoryName)
            return
        }
        let mountFrom = sources.sources(of: digest).first { $0 != repositoryName && $0.hasPrefix(domain + "/") }
        let mountPath = mountFrom.map { String($0.dropFirst(domain.count + 1)) }
        var start = try await startUpload(repository, digest: digest, mountPath: mountPath)
        if start == .mounted, let mountPath {
            progress?(.layer(digest, .mounted(from: mountPath)))
            sources.add(digest, repository: repositoryName)
            return
        }
        if start == .mounted { start = try await repository.startUpload() }
        guard case .location(let location) = start else { return }
        let reader = try store.content.reader(for: digest)
        let throttle = ProgressThrottle()
        try await repository.upload(reader, to: location) { bytes in
            if let progress, throttle.allow(final: bytes == descriptor.size) {
                progress(.transfer(digest, .pushing, current: bytes, total: descriptor.size))
            }
        }
        progress?(.layer(digest, .pushed))
        sources.add(digest, repository: repositoryName)
    }
}
