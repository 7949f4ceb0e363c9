import Foundation
import OCI

/// `docker import`: a root filesystem tarball becomes a one-layer image.
extension ImageStore {
    /// Imports the tarball at `path` (plain, gzip or zstd; detected) as a one-layer image: the file's
    /// bytes are stored unchanged as the layer blob, its diff ID is computed from the uncompressed tar
    /// (which is read through, so a corrupt tarball is refused before anything is stored), and an OCI
    /// config (with `changes`, `platform`, `created`, a history entry "Imported from …", as docker writes it) and an OCI
    /// manifest are written. The image is named `reference`, or kept dangling without one.
    /// Returns the manifest's digest.
    @discardableResult
    public func importRootfs(
        tarballAt path: String, reference: ImageReference? = nil, changes: ImageChanges = ImageChanges(),
        platform: Platform? = nil, created: Date = Date(), source: String? = nil, comment: String? = nil
    ) throws -> Digest {
        let compression = TransferFS.sniffCompression(path)
        let (diffID, _) = try TransferFS.diffID(ofLayerAt: path, name: path)
        let target = platform ?? self.platform
        let createdText = Self.rfc3339(created)
        let config = ImageConfig(
            created: createdText, architecture: target.architecture, os: target.os, variant: target.variant,
            config: changes.applied(), rootfs: RootFS(diffIDs: [diffID]),
            history: [History(created: createdText, comment: comment ?? "Imported from \(source ?? path)")])
        return try writeLock.withLock {
            let info = try TransferFS.ingest(path, into: content, expected: nil, expectedSize: nil, name: path)
            let layer = Descriptor(mediaType: compression.ociMediaType, digest: info.digest, size: info.size)
            let names = reference.map { [$0.string] } ?? []
            return try commitImage(layers: [layer], config: config, names: names, createdAt: created).digest
        }
    }
}
