import Foundation
import OCI

/// Loading the legacy docker-archive (`docker save` before Docker 25): `manifest.json` with
/// `Config` (`<hex>.json`) and `Layers` (`<id>/layer.tar`, plain or gzip) per image.
extension ImageLoader {
    /// Loads every entry of `manifest.json`: the config must hash to the digest its name gives, each
    /// layer must unpack to the config's diff ID at its position. Layers are stored as they are
    /// (compressed or not); an OCI manifest is written for each image.
    func loadDockerArchive(entries: [DockerArchiveManifestEntry]) throws {
        for entry in entries {
            guard let configFile = source.file(entry.config) else { throw TransferError.missingMember(entry.config) }
            let named = Self.digest(fromMemberName: entry.config)
            let configInfo = try ingestFile(configFile, name: entry.config, expected: named, expectedSize: nil)
            let config = try decodeConfig(
                try store.content.read(configInfo.digest), name: entry.config, layers: entry.layers.count)
            var layers: [Descriptor] = []
            for (index, layerName) in entry.layers.enumerated() {
                guard let file = source.file(layerName) else { throw TransferError.missingMember(layerName) }
                let (diffID, _) = try TransferFS.diffID(ofLayerAt: file, name: layerName)
                guard diffID == config.rootfs.diffIDs[index] else {
                    throw TransferError.diffIDMismatch(layer: layerName, index: index, expected: config.rootfs.diffIDs[index], actual: diffID)
                }
                let info = try ingestFile(file, name: layerName, expected: Self.digest(fromMemberName: layerName), expectedSize: nil)
                let compression = TransferFS.sniffCompression(file)
                layers.append(Descriptor(mediaType: compression.ociMediaType, digest: info.digest, size: info.size))
            }
            let configDescriptor = Descriptor(mediaType: MediaType.ociConfig, digest: configInfo.digest, size: configInfo.size)
            let manifest = Manifest(config: configDescriptor, layers: layers)
            let bytes = try Array(manifest.encoded())
            let manifestInfo = try storeDocument(bytes)
            let descriptor = Descriptor(mediaType: MediaType.ociManifest, digest: manifestInfo.digest, size: manifestInfo.size)
            manifests.append((descriptor, manifest, config))
            var names: [String] = []
            for tag in entry.repoTags {
                let name = try normalizedName(tag)
                if !names.contains(name) { names.append(name) }
            }
            images.append(LoadedImage(names: names, target: descriptor))
            labels[descriptor.digest] = config.config?.labels
        }
    }

    /// Stores a document Berth wrote itself (a manifest), counting it as added by this load.
    private func storeDocument(_ bytes: [UInt8]) throws -> ContentInfo {
        let digest = Digester.digest(of: bytes)
        let existed = store.content.exists(digest)
        let descriptor = try store.content.write(bytes: bytes, mediaType: MediaType.ociManifest)
        if !existed { try ingestRecorded(descriptor.digest) }
        return ContentInfo(digest: descriptor.digest, size: descriptor.size, committedAt: Date())
    }

    /// The digest a member name carries: `<hex>.json`, `blobs/sha256/<hex>`; nil for `<id>/layer.tar`.
    static func digest(fromMemberName name: String) -> Digest? {
        let parts = name.split(separator: "/")
        if parts.count >= 3, parts[parts.count - 3] == "blobs" {
            return try? Digest(parsing: "\(parts[parts.count - 2]):\(parts[parts.count - 1])")
        }
        guard let last = parts.last, last.hasSuffix(".json") else { return nil }
        return try? Digest(parsing: "sha256:" + last.dropLast(5))
    }
}
