#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a registry or layout returned for a reference: an image manifest or an index.
public enum ManifestOrIndex: Sendable, Equatable {
    /// A single-platform image manifest (OCI or Docker schema 2).
    case manifest(Manifest)
    /// A multi-platform index (OCI index or Docker manifest list).
    case index(Index)

    /// Decodes `data` served with content type `mediaType` (OCI or Docker schema 2). When the type is missing or
    /// generic (`application/json`, `application/octet-stream`, `text/plain`), the body's `mediaType`,
    /// `manifests` and `layers` keys decide. Docker schema 1 is refused; a body whose `mediaType` contradicts
    /// the content type is refused too.
    public static func decode(data: Data, mediaType: String?) throws(ImageError) -> ManifestOrIndex {
        let declared = mediaType.map(MediaType.base) ?? ""
        let probe = try decodeImageJSON(Probe.self, from: data, document: "manifest")
        if MediaType.isSchema1(declared) || probe.mediaType.map(MediaType.isSchema1) == true
            || probe.schemaVersion == 1 || probe.hasFSLayers
        {
            throw ImageError.schema1
        }
        var kind = declared
        if isGeneric(declared) {
            if let own = probe.mediaType, !isGeneric(MediaType.base(own)) {
                kind = MediaType.base(own)
            } else if probe.hasManifests {
                kind = MediaType.ociIndex
            } else if probe.hasLayers || probe.hasConfig {
                kind = MediaType.ociManifest
            } else {
                throw ImageError(
                    document: "manifest", path: "",
                    message: "manifest is neither an image manifest nor an index: it has no mediaType, manifests or layers")
            }
        } else if let own = probe.mediaType, MediaType.base(own) != declared {
            throw ImageError(
                document: "manifest", path: "mediaType",
                message: "is \"\(own)\" but the content was served as \"\(declared)\"")
        }
        if MediaType.isManifest(kind) {
            let manifest = try decodeImageJSON(Manifest.self, from: data, document: "manifest")
            try manifest.checkSchemaVersion()
            return .manifest(manifest)
        }
        if MediaType.isIndex(kind) {
            let index = try decodeImageJSON(Index.self, from: data, document: "index")
            guard index.schemaVersion == 2 else {
                throw ImageError(document: "index", path: "schemaVersion", message: "must be 2, got \(index.schemaVersion)")
            }
            return .index(index)
        }
        throw ImageError(
            document: "manifest", path: "",
            message: "unsupported manifest media type \"\(mediaType ?? kind)\": expected an OCI or Docker schema 2 manifest or index")
    }

    /// The manifest or index's own `mediaType`, if it has one.
    public var mediaType: String? {
        switch self {
        case .manifest(let manifest): manifest.mediaType
        case .index(let index): index.mediaType
        }
    }

    /// The OCI media type of this kind of document, whatever it was served as.
    public var ociMediaType: String {
        switch self {
        case .manifest: MediaType.ociManifest
        case .index: MediaType.ociIndex
        }
    }

    /// Content types that say nothing about the document.
    private static func isGeneric(_ type: String) -> Bool {
        type.isEmpty || type == "application/json" || type == "application/octet-stream" || type == "text/plain"
    }

    /// The keys that tell the kinds apart; everything else is ignored.
    private struct Probe: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var hasManifests = false
        var hasLayers = false
        var hasConfig = false
        var hasFSLayers = false

        enum CodingKeys: String, CodingKey {
            case schemaVersion, mediaType, manifests, layers, config, fsLayers
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion)
            mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
            hasManifests = container.contains(.manifests)
            hasLayers = container.contains(.layers)
            hasConfig = container.contains(.config)
            hasFSLayers = container.contains(.fsLayers)
        }
    }
}

extension ImageError {
    /// Docker image manifest v2 schema 1, which Berth does not read.
    public static let schema1 = ImageError(
        document: "manifest", path: "",
        message: "Docker image manifest schema 1 is not supported (deprecated since 2015); "
            + "rebuild or push the image again with a current client to get schema 2 or OCI")
}
