import Foundation
import OCI

/// `docker commit` and `docker export`: a container's writable layer becomes an image layer,
/// or its whole root a tarball.
extension ImageStore {
    /// Commits container `containerID`'s upper directory as a new gzip layer on top of `base`,
    /// with `config` as the image's run config and a history entry. Returns the manifest digest.
    @discardableResult
    public func commitContainer(
        _ containerID: String, base: ResolvedImage, config: ContainerConfig, createdBy: String,
        author: String? = nil, comment: String? = nil, reference: ImageReference? = nil, created: Date = Date()
    ) throws -> Digest {
        let upper = try containerDirectory(containerID) + "/upper"
        let (temporary, diffID) = try diffToTemporary(upper, compression: .gzip, sourceDateEpoch: nil)
        defer { unlink(temporary) }
        let createdText = Self.rfc3339(created)
        var imageConfig = base.config
        imageConfig.created = createdText
        imageConfig.author = author
        imageConfig.config = config
        imageConfig.rootfs = RootFS(diffIDs: base.diffIDs + [diffID])
        imageConfig.history = (base.config.history ?? []) + [History(created: createdText, createdBy: createdBy, author: author, comment: comment)]
        return try writeLock.withLock {
            let info = try TransferFS.ingest(temporary, into: content, expected: nil, expectedSize: nil, name: "commit of \(containerID)")
            let descriptor = Descriptor(mediaType: LayerCompression.gzip.ociMediaType, digest: info.digest, size: info.size)
            return try commitImage(layers: base.layers + [descriptor], config: imageConfig,
                            names: reference.map { [$0.string] } ?? [], createdAt: created).digest
        }
    }

    /// Writes the whole tree at `directory` (a mounted container root) as an uncompressed tar to `fd`.
    public func exportTree(_ directory: String, to fd: Int32) throws {
        let empty = root + "/tmp/empty-\(UInt32.random(in: 0...UInt32.max))"
        try StoreFS.makeDirectories(empty)
        defer { rmdir(empty) }
        _ = try LayerDiffer().diff(.compare(directory: directory, lower: empty), to: fd, compression: LayerCompression.none)
    }
}
