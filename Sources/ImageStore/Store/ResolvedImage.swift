import Foundation
import OCI

/// An image looked up and read: the name's target, the manifest chosen for the store's platform, its
/// config and layers, with diff IDs and chain IDs ready for unpacking.
public struct ResolvedImage: Sendable, Equatable {
    /// The normalized name it was found by; nil for a dangling image found by digest.
    public var name: String?
    /// What the name points at: a manifest, or an index the manifest was picked from.
    public var target: Descriptor
    /// The image manifest's descriptor (equal to `target` when the target is a manifest).
    public var manifestDescriptor: Descriptor
    /// The image manifest.
    public var manifest: Manifest
    /// The image configuration.
    public var config: ImageConfig
    /// The layer blobs, base first.
    public var layers: [Descriptor] { manifest.layers }
    /// The layers' diff IDs, base first (from the config).
    public var diffIDs: [Digest] { config.rootfs.diffIDs }
    /// Chain IDs of the layer stack, base first; the last names the image's top snapshot.
    public var chainIDs: [Digest] { ChainID.compute(diffIDs: diffIDs) }
    /// The image ID docker shows: the config's digest.
    public var id: Digest { manifest.config.digest }
}

extension ImageStore {
    /// Finds `reference` (a name such as `busybox`, or a manifest or index digest) and reads its
    /// manifest for the store's platform (following nested indexes) and its config.
    public func resolve(_ reference: String) throws -> ResolvedImage {
        let record = try record(for: reference)
        return try resolve(record: record)
    }

    /// Same as `resolve(_:)` for a parsed reference.
    public func resolve(_ reference: ImageReference) throws -> ResolvedImage {
        try resolve(reference.string)
    }

    /// Reads the manifest and config `record` leads to.
    public func resolve(record: ImageRecord) throws -> ResolvedImage {
        if var known = resolved.withLock({ $0[record.target.digest] }) {
            known.name = record.name
            known.target = record.target
            return known
        }
        let image = try read(record: record)
        resolved.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[record.target.digest] = image
        }
        return image
    }

    /// `resolve(record:)` from the content store.
    private func read(record: ImageRecord) throws -> ResolvedImage {
        let label = record.name ?? record.target.digest.string
        let (descriptor, manifest) = try pickManifest(record.target, image: label, depth: 0)
        let configBytes = try blob(manifest.config.digest, role: "config of \(descriptor.digest)")
        let config: ImageConfig
        do {
            config = try ImageConfig.decode(from: Data(configBytes))
        } catch {
            throw ImageStoreError.unreadableDocument(manifest.config.digest, reason: error.description)
        }
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw ImageStoreError.layerCountMismatch(
                config: manifest.config.digest, layers: manifest.layers.count, diffIDs: config.rootfs.diffIDs.count)
        }
        return ResolvedImage(name: record.name, target: record.target, manifestDescriptor: descriptor, manifest: manifest, config: config)
    }

    /// The manifest `descriptor` is or (for an index) the best one for `platform` it lists.
    func pickManifest(_ descriptor: Descriptor, image: String, depth: Int) throws -> (Descriptor, Manifest) {
        let bytes = try blob(descriptor.digest, role: "manifest of \(image)")
        let document: ManifestOrIndex
        do {
            document = try ManifestOrIndex.decode(data: Data(bytes), mediaType: descriptor.mediaType)
        } catch {
            throw ImageStoreError.unreadableDocument(descriptor.digest, reason: error.description)
        }
        switch document {
        case .manifest(let manifest):
            return (descriptor, manifest)
        case .index(let index):
            guard depth < 4 else { throw ImageStoreError.unreadableDocument(descriptor.digest, reason: "indexes nested too deep") }
            for candidate in index.manifests(for: platform) where content.exists(candidate.digest) {
                return try pickManifest(candidate, image: image, depth: depth + 1)
            }
            throw ImageStoreError.noMatchingManifest(image: image, platform: platform.description)
        }
    }

    /// The bytes of blob `digest`, or `blobMissing` naming its `role`.
    func blob(_ digest: Digest, role: String) throws -> [UInt8] {
        do {
            return try content.read(digest)
        } catch ContentError.notFound {
            throw ImageStoreError.blobMissing(digest, role: role)
        }
    }
}
