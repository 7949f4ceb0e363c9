import Foundation
import OCI
import Synchronization

/// The image store as one thing: the content store, the metadata database and the snapshots of one
/// engine root (`root/content`, `root/berth.db`, `root/snapshots`, `root/containers`), with the
/// operations that need all three: resolve, tag, remove, unpack, mount, import, load, save, gc.
///
/// A `final class` holding only `Sendable` parts. Writes that add or remove images and garbage
/// collection are serialised by one lock, so a collection never sees a half-loaded image.
public final class ImageStore: Sendable {
    /// The engine root.
    public let root: String
    /// Blobs by digest.
    public let content: ContentStore
    /// Image, manifest, snapshot and reference rows.
    public let metadata: MetadataStore
    /// Unpacked layers by chain ID.
    public let snapshots: SnapshotStore
    /// `root/containers`: each container's upper and work directories.
    public let containersDirectory: String
    /// The platform picked from multi-platform indexes (linux on this build's architecture unless told).
    public let platform: Platform
    /// Serialises image writes with garbage collection.
    let writeLock = NSLock()
    /// What `resolve` read and decoded for a target digest (the manifest it picked and its
    /// config): content-addressed, so it never changes; garbage collection empties it, as it may
    /// take the blobs away. Every container create and start resolves its image.
    let resolved = Mutex<[Digest: ResolvedImage]>([:])

    /// Opens (creating if needed) the store under `root`; `platform` picks manifests from indexes.
    public init(root: String, platform: Platform = .current) throws {
        self.root = root
        self.platform = platform
        try StoreFS.makeDirectories(root)
        content = try ContentStore(root: root)
        metadata = try MetadataStore(root: root)
        snapshots = try SnapshotStore(root: root)
        containersDirectory = root + "/containers"
        try StoreFS.makeDirectories(containersDirectory, mode: 0o711)
    }

    /// The normalized name for `text` (`busybox` → `docker.io/library/busybox:latest`).
    public static func normalizedName(_ text: String) throws(ImageStoreError) -> String {
        do {
            return try ImageReference(parsing: text).string
        } catch {
            throw ImageStoreError.invalidReference(text, reason: error.description)
        }
    }

    /// Every named image, and the dangling (`<none>`) ones too when `includeDangling`.
    public func list(includeDangling: Bool = false) throws -> [ImageRecord] {
        try metadata.images(includeDangling: includeDangling)
    }

    /// Names `target` the image `source` is (both are references; `source` may also be a manifest digest).
    @discardableResult
    public func tag(_ source: String, as target: String) throws -> ImageRecord {
        let record = try record(for: source)
        let name = try Self.normalizedName(target)
        return try writeLock.withLock {
            try metadata.putImage(name: name, target: record.target, labels: record.labels, createdAt: record.createdAt)
        }
    }

    /// Removes the name `name`; the image stays (dangling) when it was its last name. Refused when a
    /// container uses that image, unless `force`.
    public func untag(_ name: String, force: Bool = false) throws {
        let normalized = try Self.normalizedName(name)
        try writeLock.withLock { try metadata.untag(normalized, force: force) }
    }

    /// Removes an image the way `docker rmi` does: a name that is one of several only untags; the last
    /// name (or a digest) removes the image, refused with `MetadataError.inUse` while a container uses
    /// it unless `force`. Blobs and snapshots are freed by `gc()`. Returns the names removed.
    @discardableResult
    public func remove(name: String, force: Bool = false) throws -> [String] {
        if let digest = try? Digest(parsing: name) {
            return try writeLock.withLock { try metadata.deleteImage(digest: digest, force: force) }
        }
        let normalized = try Self.normalizedName(name)
        try writeLock.withLock { try metadata.deleteImage(named: normalized, force: force) }
        return [normalized]
    }

    /// Removes every blob and snapshot no image, container, build or lease references.
    @discardableResult
    public func gc(minimumAge: Double = 0) throws -> GCResult {
        try writeLock.withLock {
            defer { resolved.withLock { $0.removeAll() } }
            return try GarbageCollector.collect(content: content, metadata: metadata, snapshots: snapshots, minimumAge: minimumAge)
        }
    }

    /// The record of image `reference`: a name (normalized), or the digest of an image's manifest or index.
    public func record(for reference: String) throws -> ImageRecord {
        if let digest = try? Digest(parsing: reference) {
            if let found = try metadata.images(includeDangling: true).first(where: { $0.target.digest == digest }) {
                return found
            }
            throw ImageStoreError.imageNotFound(reference)
        }
        let name = try Self.normalizedName(reference)
        guard let record = try metadata.image(named: name) else { throw ImageStoreError.imageNotFound(reference) }
        return record
    }
}
