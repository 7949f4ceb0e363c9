import Foundation
import OCI

/// Loading from an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), which is also
/// what `docker save` writes since Docker 25 (plus `manifest.json`, whose `RepoTags` add names).
extension ImageLoader {
    /// Loads every image `index.json` lists. Names come from `io.containerd.image.name`, else from
    /// `org.opencontainers.image.ref.name` (a full reference, or a tag joined to `defaultRepository`),
    /// and from `manifest.json` entries with the same config. An index is stored whole; the manifest
    /// for the store's platform is loaded from it (nested indexes are followed).
    func loadOCILayout(dockerEntries: [DockerArchiveManifestEntry]) throws {
        guard let layoutFile = source.file(OCILayout.fileName) else { throw TransferError.missingMember(OCILayout.fileName) }
        do {
            _ = try OCILayout.decode(from: Data(try TransferFS.read(layoutFile)))
        } catch let error as ImageError {
            throw TransferError.invalidDocument(name: OCILayout.fileName, reason: error.description)
        }
        guard let indexFile = source.file(OCILayout.indexFileName) else { throw TransferError.missingMember(OCILayout.indexFileName) }
        let index: Index
        do {
            index = try Index.decode(from: Data(try TransferFS.read(indexFile)))
        } catch let error as ImageError {
            throw TransferError.invalidDocument(name: OCILayout.indexFileName, reason: error.description)
        }
        for (position, descriptor) in index.manifests.enumerated() {
            guard MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType) else { continue }
            let location = "index.json manifests[\(position)]"
            let (configDigest, config) = try loadTarget(descriptor, referencedBy: location, depth: 0)
            labels[descriptor.digest] = config.config?.labels
            var names = try names(from: descriptor.annotations)
            for entry in dockerEntries where entry.config.hasSuffix(configDigest.encoded) {
                names += try entry.repoTags.map(normalizedName)
            }
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            images.append(LoadedImage(names: unique, target: descriptor))
        }
    }

    /// Stores `descriptor` (a manifest, or an index and its platform's manifest) and everything the
    /// manifest needs, checked; returns the config (digest and content) of the manifest loaded.
    private func loadTarget(_ descriptor: Descriptor, referencedBy: String, depth: Int) throws -> (Digest, ImageConfig) {
        let bytes = try documentBlob(descriptor, referencedBy: referencedBy)
        let document: ManifestOrIndex
        do {
            document = try ManifestOrIndex.decode(data: Data(bytes), mediaType: descriptor.mediaType)
        } catch {
            throw TransferError.invalidDocument(name: "manifest \(descriptor.digest)", reason: error.description)
        }
        switch document {
        case .index(let index):
            guard depth < 4 else { throw TransferError.invalidDocument(name: "index \(descriptor.digest)", reason: "indexes nested too deep") }
            indexes.append((descriptor.digest, index))
            let candidates = index.manifests(for: store.platform)
            guard let chosen = candidates.first(where: { source.file(OCILayout.blobPath(for: $0.digest)) != nil }) ?? candidates.first else {
                throw TransferError.invalidDocument(
                    name: "index \(descriptor.digest)", reason: "no manifest for \(store.platform)")
            }
            return try loadTarget(chosen, referencedBy: "index \(descriptor.digest)", depth: depth + 1)
        case .manifest(let manifest):
            let owner = "manifest \(descriptor.digest)"
            let configBytes = try documentBlob(manifest.config, referencedBy: owner)
            let config = try decodeConfig(configBytes, name: "config \(manifest.config.digest)", layers: manifest.layers.count)
            for (position, layer) in manifest.layers.enumerated() {
                try ingestBlob(layer, referencedBy: owner)
                try checkLayer(layer, index: position, config: config, name: layer.digest.string)
            }
            manifests.append((descriptor, manifest, config))
            return (manifest.config.digest, config)
        }
    }

    /// The normalized names an index.json entry's annotations give.
    private func names(from annotations: [String: String]?) throws -> [String] {
        if let full = annotations?[ImageAnnotation.containerdImageName] { return [try normalizedName(full)] }
        guard let ref = annotations?[ImageAnnotation.refName], !ref.isEmpty else { return [] }
        if ref.contains("/") || ref.contains(":") || ref.contains("@") { return [try normalizedName(ref)] }
        guard let defaultRepository else { return [] }
        return [try normalizedName(defaultRepository + ":" + ref)]
    }
}
