import Foundation
import OCI

/// Recording images whose blobs are already in the content store: manifest rows with layer diff and
/// chain IDs, index rows, and names (or a dangling record).
extension ImageStore {
    /// Records manifest `descriptor` with its layers, taking diff IDs from `config`.
    func recordManifest(_ descriptor: Descriptor, manifest: Manifest, config: ImageConfig) throws {
        let chainIDs = ChainID.compute(diffIDs: config.rootfs.diffIDs)
        let layers = manifest.layers.enumerated().map { index, layer in
            LayerRecord(blob: layer, diffID: config.rootfs.diffIDs[index], chainID: chainIDs[index])
        }
        try metadata.putManifest(ManifestRecord(
            digest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size,
            config: manifest.config.digest, platform: config.platform.description, layers: layers))
    }

    /// Records that index `digest` lists `index`'s manifests.
    func recordIndex(_ digest: Digest, index: Index) throws {
        try metadata.putIndex(digest: digest, children: index.manifests.map { ($0.digest, $0.platform?.description) })
    }

    /// Points each of `names` (normalized) at `target`; with no names the image is kept as dangling.
    func recordNames(_ names: [String], target: Descriptor, labels: [String: String], createdAt: Date) throws {
        if names.isEmpty {
            let record = ImageRecord(name: nil, target: target, createdAt: createdAt, labels: labels)
            try metadata.database.write { db in try MetadataStore.keepDanglingIfOrphaned(record, db) }
            return
        }
        for name in names {
            try metadata.putImage(name: name, target: target, labels: labels, createdAt: createdAt)
        }
    }

    /// Stores the config and an OCI manifest for a one-layer image whose layer blob is in the content
    /// store, records it and names it (`names` nil: records no image at all). Returns the manifest's descriptor.
    func commitImage(layers: [Descriptor], config: ImageConfig, names: [String]?, createdAt: Date) throws -> Descriptor {
        let configBytes = try Array(config.encoded())
        let configDescriptor = try content.write(bytes: configBytes, mediaType: MediaType.ociConfig)
        let manifest = Manifest(config: configDescriptor, layers: layers)
        let manifestDescriptor = try content.write(bytes: Array(manifest.encoded()), mediaType: MediaType.ociManifest)
        try recordManifest(manifestDescriptor, manifest: manifest, config: config)
        if let names {
            try recordNames(names, target: manifestDescriptor, labels: config.config?.labels ?? [:], createdAt: createdAt)
        }
        return manifestDescriptor
    }

    /// `date` as RFC 3339 in UTC, as image configs write it.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
