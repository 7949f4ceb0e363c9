import Foundation
import Glibc
import OCI

/// The store operations a build needs: a layer from a directory of changes, an image written without
/// a name (a build step's result, held by the build cache), and a directory of changes adopted as the
/// snapshot of its layer so the next step does not unpack it again.
extension ImageStore {
    /// Writes the changes in `upper` (an overlay upper directory, or a directory that only adds files)
    /// as a layer blob held by build reference `holder` (so a garbage collection before the image that
    /// lists it is written cannot take it). Returns its descriptor and diff ID. `sourceDateEpoch`
    /// clamps mtimes.
    public func writeLayer(fromUpper upper: String, holder: String, compression: LayerCompression = .none,
                           sourceDateEpoch: Int64? = nil) throws -> (descriptor: Descriptor, diffID: Digest) {
        // Written straight into ingest/: the differ hashes the bytes it writes, so the blob is
        // adopted by rename instead of being copied and hashed again.
        let partial = content.ingestPath("layer")
        defer { unlink(partial) }
        let result = try LayerDiffer().diff(.overlayUpper(upper), toFileAt: partial, compression: compression,
                                            sourceDateEpoch: sourceDateEpoch)
        let diffID = try Digest(parsing: result.diffID)
        let blobDigest = try Digest(parsing: result.digest)
        let info = try writeLock.withLock {
            let info = try content.adopt(partial, digest: blobDigest, size: result.size)
            try metadata.addReference(kind: .build, id: holder, target: info.digest)
            return info
        }
        return (Descriptor(mediaType: compression.ociMediaType, digest: info.digest, size: info.size), diffID)
    }

    /// The layer of `upper` in a temporary file under `root/tmp` (the caller unlinks it), and its diff ID.
    func diffToTemporary(_ upper: String, compression: LayerCompression, sourceDateEpoch: Int64?) throws -> (String, Digest) {
        try StoreFS.makeDirectories(root + "/tmp")
        let temporary = root + "/tmp/layer-\(StoreFS.randomHex(8))"
        do {
            let layer = try LayerDiffer().diff(.overlayUpper(upper), toFileAt: temporary, compression: compression,
                                               sourceDateEpoch: sourceDateEpoch)
            return (temporary, try Digest(parsing: layer.diffID))
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Drops build reference `holder` (its layers are then held by the images that list them).
    public func release(holder: String) throws {
        try writeLock.withLock { _ = try metadata.removeReference(kind: .build, id: holder) }
    }

    /// Holds `image` (its manifest, config, layers and snapshots) under build reference `holder`.
    public func hold(_ image: ResolvedImage, holder: String) throws {
        try writeLock.withLock { try metadata.addReference(kind: .build, id: holder, target: image.manifestDescriptor.digest) }
    }

    /// Stores `config` and a manifest over `layers` and records the manifest, without naming it or
    /// keeping it as a dangling image: build reference `holder` holds it until it is named or cached.
    public func writeImage(layers: [Descriptor], config: ImageConfig, holder: String) throws -> ResolvedImage {
        let descriptor = try writeLock.withLock {
            let descriptor = try commitImage(layers: layers, config: config, names: nil, createdAt: Date())
            try metadata.addReference(kind: .build, id: holder, target: descriptor.digest)
            return descriptor
        }
        return try resolve(manifest: descriptor)
    }

    /// Reads the image whose manifest is `descriptor`, named or not.
    public func resolve(manifest descriptor: Descriptor) throws -> ResolvedImage {
        try resolve(record: ImageRecord(name: nil, target: descriptor))
    }

    /// Names `image` `name` (normalized), as `docker build -t` does at the end of a build.
    public func name(_ image: ResolvedImage, as name: String) throws {
        let normalized = try Self.normalizedName(name)
        try writeLock.withLock {
            _ = try metadata.putImage(name: normalized, target: image.target,
                                      labels: image.config.config?.labels ?? [:], createdAt: Date())
        }
    }

    /// Keeps `image` as a dangling image (a build's untagged result).
    public func keepDangling(_ image: ResolvedImage) throws {
        try writeLock.withLock {
            try recordNames([], target: image.target, labels: image.config.config?.labels ?? [:], createdAt: Date())
        }
    }

    /// Makes `directory` (files a build step added, in overlay form, no whiteouts needed) the
    /// committed snapshot `chainID` over `parent`, by rename: the layer just written from it need not
    /// be unpacked again. When the snapshot already exists `directory` is removed.
    /// Build reference `holder` holds the snapshot.
    public func adoptSnapshot(_ directory: String, as chainID: Digest, parent: Digest?, holder: String) throws {
        try writeLock.withLock { try metadata.addReference(kind: .build, id: holder, target: chainID) }
        if snapshots.exists(chainID: chainID) {
            try StoreFS.removeTree(directory)
            return
        }
        let key = "build/\(chainID.encoded)/\(StoreFS.randomHex(8))"
        let active = try snapshots.prepare(key: key, parent: parent)
        do {
            try StoreFS.removeTree(active.fs)
            try StoreFS.rename(directory, active.fs)
            try snapshots.commit(key: key, as: chainID, syncFiles: true)
        } catch {
            try? snapshots.removeActive(key: key)
            throw error
        }
        let size = (try? snapshots.usage(chainID: chainID)) ?? 0
        try metadata.putSnapshot(SnapshotRecord(chainID: chainID, parent: parent, size: size))
    }

    /// A fresh empty directory on the snapshots' filesystem for a build step's changes
    /// (`root/tmp/build-<random>`), removed by the caller or adopted as a snapshot.
    public func makeStepDirectory() throws -> String {
        try StoreFS.makeDirectories(root + "/tmp")
        let path = root + "/tmp/build-" + StoreFS.randomHex(8)
        guard mkdir(path, 0o755) == 0 else { throw ImageStoreError.system(operation: "mkdir", path: path, errno: errno) }
        return path
    }

    /// Removes a directory tree the store made (a step directory, an extracted context).
    public func removeTree(_ path: String) throws { try StoreFS.removeTree(path) }

    /// After a restart no build runs: unmounts and removes the step directories and views a build
    /// that was killed left under `root/tmp`, and drops its `build:` holds (cache rows keep theirs).
    public func cleanBuildLeftovers() {
        let prefix = root + "/tmp/build-"
        for mount in MountTable.mounts(under: root + "/tmp").sorted(by: >) where mount.hasPrefix(prefix) {
            try? ContainerRootFS.unmount(mount, detachIfBusy: true)
        }
        for name in (try? StoreFS.list(root + "/tmp")) ?? [] where name.hasPrefix("build-") {
            let path = root + "/tmp/" + name
            if !MountTable.isMounted(path) { try? StoreFS.removeTree(path) }
        }
        try? writeLock.withLock {
            try metadata.database.write { db in
                try db.execute(sql: "DELETE FROM \"references\" WHERE kind = 'build' AND id LIKE 'build:%'")
            }
        }
    }
}
