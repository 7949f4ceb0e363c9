import Foundation
import OCI

/// One image found in a layout or archive and loaded: the names it got and what they point at.
public struct LoadedImage: Sendable, Equatable {
    /// Normalized names given to it; empty for an image kept dangling.
    public var names: [String]
    /// The manifest or index the names point at.
    public var target: Descriptor
}

/// Where a load reads its files: an OCI layout directory, or an extracted archive.
protocol LoadSource {
    /// The file holding member `name` (e.g. `index.json`, `blobs/sha256/<hex>`), or nil when absent.
    func file(_ name: String) -> String?
}

/// An OCI layout directory on disk; names are normalized inside it first.
struct DirectorySource: LoadSource {
    let root: String
    func file(_ name: String) -> String? {
        guard let relative = try? ExtractedArchive.normalize(name, entry: name), !relative.isEmpty else { return nil }
        let path = root + "/" + relative
        return TransferFS.fileSize(path) == nil ? nil : path
    }
}

extension ExtractedArchive: LoadSource {}

/// The work of one load: blobs verified into the content store as they are read, the images to
/// record collected, and everything recorded only when all of it checked out. On failure the blobs
/// this load added are deleted again, so the store is as it was.
final class ImageLoader {
    let store: ImageStore
    let source: any LoadSource
    /// Names given to tag-only `ref.name` annotations (`latest` → `<defaultRepository>:latest`).
    let defaultRepository: String?
    /// Blobs this load added to the content store (deleted again if it fails).
    private(set) var added: [Digest] = []
    /// Manifests to record, with their configs.
    var manifests: [(Descriptor, Manifest, ImageConfig)] = []
    /// Indexes to record.
    var indexes: [(Digest, Index)] = []
    /// Images to name.
    var images: [LoadedImage] = []
    /// Labels of each image's config, by target digest (kept with the image record).
    var labels: [Digest: [String: String]] = [:]

    init(store: ImageStore, source: any LoadSource, defaultRepository: String?) {
        self.store = store
        self.source = source
        self.defaultRepository = defaultRepository
    }

    /// Stores the member holding blob `descriptor` (at `blobs/<alg>/<hex>`), checking digest and size.
    func ingestBlob(_ descriptor: Descriptor, referencedBy: String) throws {
        let name = OCILayout.blobPath(for: descriptor.digest)
        guard let path = source.file(name) else { throw TransferError.missingBlob(descriptor.digest, referencedBy: referencedBy) }
        try ingestFile(path, name: name, expected: descriptor.digest, expectedSize: descriptor.size)
    }

    /// Stores the file at `path` (member `name`), checking `expected` and `expectedSize` when given.
    @discardableResult
    func ingestFile(_ path: String, name: String, expected: Digest?, expectedSize: Int64?) throws -> ContentInfo {
        if let expected, store.content.exists(expected) {
            // Already stored (and verified then); still check the archive's copy is what it claims.
            let info = try TransferFS.ingestCheckOnly(path, expected: expected, expectedSize: expectedSize, name: name)
            return info
        }
        let info = try TransferFS.ingest(path, into: store.content, expected: expected, expectedSize: expectedSize, name: name)
        if !added.contains(info.digest) { added.append(info.digest) }
        return info
    }

    /// The verified bytes of a JSON blob (manifest, index, config) after storing it.
    func documentBlob(_ descriptor: Descriptor, referencedBy: String) throws -> [UInt8] {
        try ingestBlob(descriptor, referencedBy: referencedBy)
        return try store.content.read(descriptor.digest)
    }

    /// Checks that layer `index` of `manifest` (stored already) unpacks to the config's diff ID.
    func checkLayer(_ layer: Descriptor, index: Int, config: ImageConfig, name: String) throws {
        guard LayerCompression(mediaType: MediaType.base(layer.mediaType)) != nil else {
            throw TransferError.invalidLayer(layer: name, reason: "unsupported media type \(layer.mediaType)")
        }
        let (actual, _) = try TransferFS.diffID(ofLayerAt: store.content.path(for: layer.digest), name: name)
        let expected = config.rootfs.diffIDs[index]
        guard actual == expected else {
            throw TransferError.diffIDMismatch(layer: name, index: index, expected: expected, actual: actual)
        }
    }

    /// Decodes an image config, naming `name` in the error.
    func decodeConfig(_ bytes: [UInt8], name: String, layers: Int) throws -> ImageConfig {
        let config: ImageConfig
        do {
            config = try ImageConfig.decode(from: Data(bytes))
        } catch {
            throw TransferError.invalidDocument(name: name, reason: error.description)
        }
        guard config.rootfs.diffIDs.count == layers else {
            throw TransferError.layerCountMismatch(config: name, layers: layers, diffIDs: config.rootfs.diffIDs.count)
        }
        return config
    }

    /// Normalizes an image name found in the archive.
    func normalizedName(_ text: String) throws -> String {
        do {
            return try ImageReference(parsing: text).string
        } catch {
            throw TransferError.invalidName(text, reason: error.description)
        }
    }

    /// Records every manifest, index and name collected (call once everything was checked).
    func commit() throws -> [LoadedImage] {
        for (descriptor, manifest, config) in manifests {
            try store.recordManifest(descriptor, manifest: manifest, config: config)
        }
        for (digest, index) in indexes { try store.recordIndex(digest, index: index) }
        for image in images {
            try store.recordNames(image.names, target: image.target, labels: labels[image.target.digest] ?? [:], createdAt: Date())
        }
        return images
    }

    /// Counts blob `digest` as added by this load.
    func ingestRecorded(_ digest: Digest) throws {
        if !added.contains(digest) { added.append(digest) }
    }

    /// Deletes the blobs this load added.
    func rollback() {
        for digest in added { _ = try? store.content.delete(digest) }
        added = []
    }
}
