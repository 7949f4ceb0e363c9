#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One image in a docker-archive's `manifest.json` (as `docker save` writes and `docker load` reads).
public struct DockerArchiveManifestEntry: Codable, Sendable, Equatable {
    /// Path of the image config in the archive (`<hex>.json`, or `blobs/sha256/<hex>` since Docker 25).
    public var config: String
    /// Names the image is tagged with, e.g. `busybox:latest`; empty for untagged images (Docker writes null).
    public var repoTags: [String]
    /// Paths of the layer tars in the archive, base first.
    public var layers: [String]
    /// Descriptors of foreign layers, keyed by diff ID.
    public var layerSources: [String: Descriptor]?

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
        case layerSources = "LayerSources"
    }

    /// Creates an entry.
    public init(config: String, repoTags: [String] = [], layers: [String], layerSources: [String: Descriptor]? = nil) {
        self.config = config
        self.repoTags = repoTags
        self.layers = layers
        self.layerSources = layerSources
    }

    /// Decodes an entry; `RepoTags` may be null or missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        config = try container.decode(String.self, forKey: .config)
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        layers = try container.decodeIfPresent([String].self, forKey: .layers) ?? []
        layerSources = try container.decodeIfPresent([String: Descriptor].self, forKey: .layerSources)
    }

    /// Decodes a whole `manifest.json` (an array of entries), reporting the first problem with its JSON path.
    public static func decodeList(from data: Data) throws(ImageError) -> [DockerArchiveManifestEntry] {
        try decodeImageJSON([DockerArchiveManifestEntry].self, from: data, document: "manifest.json")
    }

    /// Encodes a whole `manifest.json`.
    public static func encodeList(_ entries: [DockerArchiveManifestEntry]) throws -> Data {
        try encodeImageJSON(entries, prettyPrinted: false)
    }
}

/// The legacy `repositories` file of a docker-archive: repository → tag → image (top layer) ID in hex,
/// e.g. `{"busybox": {"latest": "5b0d…"}}`.
public typealias DockerArchiveRepositories = [String: [String: String]]
