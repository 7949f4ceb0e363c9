import Foundation
import OCI

/// What one garbage collection removed.
public struct GCResult: Sendable, Equatable {
    /// Blobs deleted from the content store.
    public var removedBlobs: [Digest] = []
    /// Committed snapshots deleted.
    public var removedSnapshots: [Digest] = []
    /// Bytes of the deleted blobs.
    public var blobBytes: Int64 = 0
    /// Bytes on disk of the deleted snapshots.
    public var snapshotBytes: Int64 = 0
    /// Bytes freed in all.
    public var totalBytes: Int64 { blobBytes + snapshotBytes }

    /// An empty result (nothing removed).
    public init() {}
}

/// Why a collection stopped before deleting anything.
public enum GCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A reachable manifest or index could not be decoded; collecting now could delete its layers.
    case unreadable(Digest, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let digest, let reason): "garbage collection stopped: cannot read \(digest): \(reason)"
        }
    }
}

/// Mark and sweep over the content store and the snapshots, rooted at every image record
/// (named or dangling) and every row of the `references` table (containers, builds, leases).
/// Only complete blobs under blobs/ and committed snapshots are candidates: ingests and
/// active snapshots in progress are never touched. Callers serialise collections with
/// image writes (the engine holds its image lock), as containerd does.
public enum GarbageCollector {
    /// Largest blob read while walking (manifests and configs are far smaller).
    static let maximumDocument: Int64 = 16 << 20

    /// Marks everything reachable, then deletes the unmarked blobs and snapshots and their
    /// metadata rows. Blobs committed less than `minimumAge` seconds before the collection
    /// started are kept as well.
    @discardableResult
    public static func collect(
        content: ContentStore, metadata: MetadataStore, snapshots: SnapshotStore, minimumAge: Double = 0
    ) throws -> GCResult {
        let started = Date()
        var marker = Marker(content: content, metadata: metadata, snapshots: snapshots)
        for image in try metadata.images(includeDangling: true) {
            try marker.walk(image.target.digest, mediaType: image.target.mediaType)
        }
        for reference in try metadata.references() {
            try marker.walk(reference.target, mediaType: nil)
        }

        var result = GCResult()
        let cutoff = started.addingTimeInterval(-minimumAge)
        for blob in try content.list() where !marker.blobs.contains(blob.digest) && blob.committedAt < cutoff {
            if let bytes = try content.delete(blob.digest) {
                result.removedBlobs.append(blob.digest)
                result.blobBytes += bytes
            }
        }
        for digest in try metadata.manifestDigests() where !content.exists(digest) && !marker.blobs.contains(digest) {
            try metadata.deleteManifest(digest: digest)
        }

        // Children before parents: an unmarked snapshot is never the parent of a marked one.
        var remaining = try snapshots.list().filter { !marker.chains.contains($0.chainID) }
        while !remaining.isEmpty {
            let parents = Set(try snapshots.list().compactMap(\.parent))
            let leaves = remaining.filter { !parents.contains($0.chainID) }
            if leaves.isEmpty { break }
            for snapshot in leaves {
                result.snapshotBytes += try snapshots.remove(chainID: snapshot.chainID)
                result.removedSnapshots.append(snapshot.chainID)
            }
            let removed = Set(leaves.map(\.chainID))
            remaining.removeAll { removed.contains($0.chainID) }
        }
        for record in try metadata.snapshots() where !marker.chains.contains(record.chainID) && !snapshots.exists(chainID: record.chainID) {
            try metadata.deleteSnapshot(chainID: record.chainID)
        }
        return result
    }
}

/// The mark phase: blobs and chain IDs reachable from the roots.
struct Marker {
    let content: ContentStore
    let metadata: MetadataStore
    let snapshots: SnapshotStore
    var blobs: Set<Digest> = []
    var chains: Set<Digest> = []

    /// Marks `digest` and what it leads to. `mediaType` nil means unknown (a reference's target):
    /// then a small JSON blob is sniffed as a manifest, index or config.
    mutating func walk(_ digest: Digest, mediaType: String?) throws {
        markChain(digest)
        guard blobs.insert(digest).inserted else { return }
        // What the database knows, even when a blob is missing.
        if let manifest = try metadata.manifest(digest: digest) {
            try walk(manifest.config, mediaType: MediaType.ociConfig)
            for layer in manifest.layers {
                blobs.insert(layer.blob.digest)
                markChain(layer.chainID)
            }
        }
        for child in try metadata.indexChildren(of: digest) {
            try walk(child.manifest, mediaType: nil)
        }
        guard let info = try? content.info(digest), info.size <= Self.maximumDocumentSize else { return }
        if let mediaType, MediaType.isLayer(mediaType) { return }
        let bytes = try content.read(digest)
        let known = mediaType.map { MediaType.isManifest($0) || MediaType.isIndex($0) } ?? false
        if let mediaType, MediaType.isConfig(mediaType) {
            markConfig(bytes)
            return
        }
        guard known || bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") else { return }
        do {
            switch try ManifestOrIndex.decode(data: Data(bytes), mediaType: mediaType) {
            case .index(let index):
                for child in index.manifests { try walk(child.digest, mediaType: child.mediaType) }
            case .manifest(let manifest):
                try walk(manifest.config.digest, mediaType: manifest.config.mediaType)
                for layer in manifest.layers { try walk(layer.digest, mediaType: layer.mediaType) }
            }
        } catch {
            if known { throw GCError.unreadable(digest, reason: "\(error)") }
            markConfig(bytes)
        }
    }

    static var maximumDocumentSize: Int64 { GarbageCollector.maximumDocument }

    /// Marks the snapshots of an image config's layers.
    private mutating func markConfig(_ bytes: [UInt8]) {
        guard let config = try? ImageConfig.decode(from: Data(bytes)) else { return }
        for chainID in ChainID.compute(diffIDs: config.rootfs.diffIDs) { markChain(chainID) }
    }

    /// Marks snapshot `chainID` and its ancestors, when it exists.
    private mutating func markChain(_ chainID: Digest) {
        var next: Digest? = chainID
        while let current = next, chains.insert(current).inserted {
            next = try? snapshots.info(chainID: current).parent
        }
    }
}
