#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An OCI content descriptor: what a blob is, its digest and size, and where else it may be found.
public struct Descriptor: Codable, Sendable, Equatable, Hashable {
    /// Media type of the referenced content (OCI, Docker, or an artifact's own type).
    public var mediaType: String
    /// Digest of the referenced content.
    public var digest: Digest
    /// Size of the referenced content in bytes.
    public var size: Int64
    /// Other places the content may be downloaded from (foreign / non-distributable layers).
    public var urls: [String]?
    /// Arbitrary metadata.
    public var annotations: [String: String]?
    /// The content itself, base64-encoded, for small blobs embedded in the descriptor.
    public var data: String?
    /// The platform an image manifest is for; only in an index's `manifests`.
    public var platform: Platform?
    /// The artifact type, when the descriptor points at an artifact manifest.
    public var artifactType: String?

    /// Creates a descriptor.
    public init(
        mediaType: String,
        digest: Digest,
        size: Int64,
        urls: [String]? = nil,
        annotations: [String: String]? = nil,
        data: String? = nil,
        platform: Platform? = nil,
        artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.data = data
        self.platform = platform
        self.artifactType = artifactType
    }

    /// The embedded `data` decoded from base64; nil when absent or not valid base64.
    public var decodedData: [UInt8]? {
        guard let data, let bytes = Data(base64Encoded: data) else { return nil }
        return Array(bytes)
    }

    /// The descriptor of the empty JSON blob `{}` (`application/vnd.oci.empty.v1+json`, 2 bytes, data embedded),
    /// used as the config of artifacts that have none.
    public static let emptyJSON = Descriptor(
        mediaType: MediaType.ociEmptyJSON,
        // sha256 of the two bytes "{}", fixed by the image spec.
        digest: try! Digest(parsing: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
        size: 2,
        data: "e30="
    )
}
