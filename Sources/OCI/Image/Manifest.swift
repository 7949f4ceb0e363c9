#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An image manifest (OCI image manifest or Docker manifest v2 schema 2): one config and ordered layers.
public struct Manifest: Codable, Sendable, Equatable {
    /// Always 2.
    public var schemaVersion: Int
    /// `application/vnd.oci.image.manifest.v1+json` or the Docker schema 2 type; optional in OCI.
    public var mediaType: String?
    /// The artifact's type, when the manifest describes an artifact rather than an image.
    public var artifactType: String?
    /// The image configuration blob.
    public var config: Descriptor
    /// Layers, base first, as their blobs are stored (compressed or not); media types are kept as written.
    public var layers: [Descriptor]
    /// The manifest this one refers to (signatures, SBOMs: the referrers API).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates a manifest; `mediaType` defaults to the OCI manifest type.
    public init(
        schemaVersion: Int = 2,
        mediaType: String? = MediaType.ociManifest,
        artifactType: String? = nil,
        config: Descriptor,
        layers: [Descriptor],
        subject: Descriptor? = nil,
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }

    /// True when this is a Docker manifest v2 schema 2 (by its `mediaType`).
    public var isDockerSchema2: Bool {
        mediaType.map { MediaType.base($0) == MediaType.dockerManifest } ?? false
    }

    /// Decodes a manifest, reporting the first problem with its JSON path; refuses schema versions other than 2.
    public static func decode(from data: Data) throws(ImageError) -> Manifest {
        let manifest = try decodeImageJSON(Manifest.self, from: data, document: "manifest")
        try manifest.checkSchemaVersion()
        return manifest
    }

    /// Encodes the manifest as JSON with sorted keys; absent optionals are omitted.
    public func encoded(prettyPrinted: Bool = false) throws -> Data {
        try encodeImageJSON(self, prettyPrinted: prettyPrinted)
    }

    func checkSchemaVersion() throws(ImageError) {
        if schemaVersion == 1 { throw ImageError.schema1 }
        guard schemaVersion == 2 else {
            throw ImageError(document: "manifest", path: "schemaVersion", message: "must be 2, got \(schemaVersion)")
        }
    }
}
