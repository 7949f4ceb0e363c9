import Foundation
import OCI

/// One image record: a name (nil for a dangling, untagged image docker shows as `<none>`)
/// pointing at a manifest or index.
public struct ImageRecord: Sendable, Hashable {
    /// Normalized reference (`docker.io/library/alpine:3.20`), nil when dangling.
    public var name: String?
    /// The manifest or index the name points at (media type, digest, size).
    public var target: Descriptor
    /// When the record was first created.
    public var createdAt: Date
    /// Image labels kept with the record.
    public var labels: [String: String]

    /// True for an untagged image.
    public var isDangling: Bool { name == nil }

    /// Creates a record.
    public init(name: String?, target: Descriptor, createdAt: Date = Date(), labels: [String: String] = [:]) {
        self.name = name
        self.target = Descriptor(mediaType: target.mediaType, digest: target.digest, size: target.size)
        self.createdAt = createdAt
        self.labels = labels
    }
}

/// A manifest known to the store: its config and ordered layers with their diff and chain IDs.
public struct ManifestRecord: Sendable, Hashable {
    /// The manifest's digest.
    public var digest: Digest
    /// Its media type.
    public var mediaType: String
    /// Its size in bytes.
    public var size: Int64
    /// Its config blob.
    public var config: Digest
    /// The platform it is for (`linux/arm64/v8`), when known.
    public var platform: String?
    /// Its layers, base first.
    public var layers: [LayerRecord]

    /// Creates a record.
    public init(digest: Digest, mediaType: String, size: Int64, config: Digest, platform: String? = nil, layers: [LayerRecord]) {
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.config = config
        self.platform = platform
        self.layers = layers
    }
}

/// One layer of a manifest: the blob as stored, its uncompressed diff ID and its chain ID.
public struct LayerRecord: Sendable, Hashable {
    /// The layer blob (compressed as pulled).
    public var blob: Descriptor
    /// Digest of the uncompressed tar.
    public var diffID: Digest
    /// Chain ID of the stack up to and including this layer (its snapshot's name).
    public var chainID: Digest

    /// Creates a record.
    public init(blob: Descriptor, diffID: Digest, chainID: Digest) {
        self.blob = Descriptor(mediaType: blob.mediaType, digest: blob.digest, size: blob.size)
        self.diffID = diffID
        self.chainID = chainID
    }
}

/// Whether a snapshot is still being filled or committed.
public enum SnapshotState: String, Sendable, Hashable, Codable {
    /// Prepared and being filled.
    case active
    /// Committed, immutable.
    case committed
}

/// A snapshot's row: chain ID, parent, size on disk, state.
public struct SnapshotRecord: Sendable, Hashable {
    /// The snapshot's chain ID.
    public var chainID: Digest
    /// The snapshot it stacks on.
    public var parent: Digest?
    /// Bytes it uses on disk (its own layer).
    public var size: Int64
    /// Active or committed.
    public var state: SnapshotState
    /// When it was recorded.
    public var createdAt: Date

    /// Creates a record.
    public init(chainID: Digest, parent: Digest?, size: Int64, state: SnapshotState = .committed, createdAt: Date = Date()) {
        self.chainID = chainID
        self.parent = parent
        self.size = size
        self.state = state
        self.createdAt = createdAt
    }
}

/// Who holds a reference: garbage collection never removes what these point at.
public enum ReferenceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A container using an image (its manifest, index or config digest) or a snapshot.
    case container
    /// A build using content or snapshots.
    case build
    /// A short-lived hold, e.g. a pull that has ingested blobs but not yet named the image.
    case lease
}

/// A row of the `references` table: `kind`/`id` holds `target` (a blob digest or a chain ID).
public struct StoreReference: Sendable, Hashable {
    /// Who holds it.
    public var kind: ReferenceKind
    /// The holder's ID (container ID, build ID, lease ID).
    public var id: String
    /// The digest or chain ID held.
    public var target: Digest
    /// When the reference was taken.
    public var createdAt: Date

    /// Creates a reference.
    public init(kind: ReferenceKind, id: String, target: Digest, createdAt: Date = Date()) {
        self.kind = kind
        self.id = id
        self.target = target
        self.createdAt = createdAt
    }
}
