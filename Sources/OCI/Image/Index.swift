#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An image index (OCI image index or Docker manifest list): manifests for several platforms or artifacts.
public struct Index: Codable, Sendable, Equatable {
    /// Always 2.
    public var schemaVersion: Int
    /// `application/vnd.oci.image.index.v1+json` or the Docker manifest list type; optional in OCI.
    public var mediaType: String?
    /// The artifact's type, when the index describes an artifact.
    public var artifactType: String?
    /// The manifests (or nested indexes), each usually with a `platform`.
    public var manifests: [Descriptor]
    /// The manifest this index refers to (referrers API).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates an index; `mediaType` defaults to the OCI index type.
    public init(
        schemaVersion: Int = 2,
        mediaType: String? = MediaType.ociIndex,
        artifactType: String? = nil,
        manifests: [Descriptor],
        subject: Descriptor? = nil,
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }

    /// True when this is a Docker manifest list (by its `mediaType`).
    public var isDockerManifestList: Bool {
        mediaType.map { MediaType.base($0) == MediaType.dockerManifestList } ?? false
    }

    /// Decodes an index (also an OCI layout's index.json), reporting the first problem with its JSON path.
    public static func decode(from data: Data) throws(ImageError) -> Index {
        let index = try decodeImageJSON(Index.self, from: data, document: "index")
        guard index.schemaVersion == 2 else {
            throw ImageError(document: "index", path: "schemaVersion", message: "must be 2, got \(index.schemaVersion)")
        }
        return index
    }

    /// Encodes the index as JSON with sorted keys; absent optionals are omitted.
    public func encoded(prettyPrinted: Bool = false) throws -> Data {
        try encodeImageJSON(self, prettyPrinted: prettyPrinted)
    }

    /// The entries a host of `platform` can run, best first: exact variant before older variants, then
    /// entries without a platform (which containerd also accepts). Attestation manifests never match.
    public func manifests(for platform: Platform) -> [Descriptor] {
        var ranked: [(descriptor: Descriptor, score: Int, order: Int)] = []
        for (order, descriptor) in manifests.enumerated() {
            if let target = descriptor.platform {
                if let score = platform.preference(for: target) { ranked.append((descriptor, score, order)) }
            } else if descriptor.annotations?[ImageAnnotation.dockerReferenceType] == nil {
                ranked.append((descriptor, -1, order))
            }
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
        return ranked.map(\.descriptor)
    }
}
