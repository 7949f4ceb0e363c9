import Foundation
import OCI

/// An image fetched from a registry whose manifest, config (and index) and layer blobs are all in
/// the content store, verified, ready to be recorded, unpacked and named.
public struct PulledImage: Sendable {
    /// What the name will point at: the index when the tag named one, else the manifest.
    public var target: Descriptor
    /// The index `target` is, when it is one.
    public var index: Index?
    /// The manifest chosen for the store's platform.
    public var manifestDescriptor: Descriptor
    /// That manifest.
    public var manifest: Manifest
    /// Its config.
    public var config: ImageConfig

    /// Creates the description of a pulled image.
    public init(target: Descriptor, index: Index?, manifestDescriptor: Descriptor, manifest: Manifest, config: ImageConfig) {
        self.target = target
        self.index = index
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.config = config
    }
}

/// What happens to one layer while a pulled image is unpacked.
public enum UnpackPhase: Sendable, Equatable {
    /// The layer's snapshot is being applied.
    case extracting
    /// The layer's snapshot is committed.
    case complete
    /// The snapshot existed already.
    case alreadyUnpacked
}

/// Recording what a registry pull fetched.
extension ImageStore {
    /// Records `image` (manifest rows with diff and chain IDs, the index), unpacks every layer into
    /// its snapshot (`onLayer` is told per layer, base first) and only then points `name` (normalized)
    /// at it; with no name it is kept dangling. A layer that fails to unpack (its diff ID differs from
    /// the config's) throws before anything is named.
    public func commitPulled(_ image: PulledImage, name: String?, digestName: String? = nil,
                             onLayer: (Int, UnpackPhase) -> Void = { _, _ in }) throws {
        guard image.config.rootfs.diffIDs.count == image.manifest.layers.count else {
            throw ImageStoreError.layerCountMismatch(config: image.manifest.config.digest, layers: image.manifest.layers.count,
                                                     diffIDs: image.config.rootfs.diffIDs.count)
        }
        for descriptor in [image.target, image.manifestDescriptor, image.manifest.config] + image.manifest.layers
        where !content.exists(descriptor.digest) {
            throw ImageStoreError.blobMissing(descriptor.digest, role: "pulled \(descriptor.mediaType)")
        }
        try writeLock.withLock {
            try recordManifest(image.manifestDescriptor, manifest: image.manifest, config: image.config)
            if let index = image.index { try recordIndex(image.target.digest, index: index) }
        }
        let resolved = ResolvedImage(name: name, target: image.target, manifestDescriptor: image.manifestDescriptor,
                                     manifest: image.manifest, config: image.config)
        let chainIDs = resolved.chainIDs
        for (index, layer) in resolved.layers.enumerated() {
            if snapshots.exists(chainID: chainIDs[index]) {
                onLayer(index, .alreadyUnpacked)
                continue
            }
            onLayer(index, .extracting)
            try unpackLayer(layer, diffID: resolved.diffIDs[index], chainID: chainIDs[index],
                            parent: index == 0 ? nil : chainIDs[index - 1])
            onLayer(index, .complete)
        }
        try writeLock.withLock {
            try recordNames((name.map { [$0] } ?? []) + (digestName.map { [$0] } ?? []), target: image.target,
                            labels: image.config.config?.labels ?? [:], createdAt: Date())
        }
    }
}
