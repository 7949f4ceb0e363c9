#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `oci-layout` file at the root of an OCI image layout: `{"imageLayoutVersion": "1.0.0"}`.
/// The layout's `index.json` is an `Index`; blobs live under `blobs/<algorithm>/<hex>`.
public struct OCILayout: Codable, Sendable, Equatable {
    /// Layout version; 1.0.0 is the only one.
    public var imageLayoutVersion: String

    /// Creates the layout marker.
    public init(imageLayoutVersion: String = OCILayout.currentVersion) {
        self.imageLayoutVersion = imageLayoutVersion
    }

    /// The version Berth writes and reads.
    public static let currentVersion = "1.0.0"
    /// Name of the marker file.
    public static let fileName = "oci-layout"
    /// Name of the layout's index.
    public static let indexFileName = "index.json"
    /// Directory of the blobs.
    public static let blobsDirectory = "blobs"

    /// `blobs/sha256/<hex>`, relative to the layout root.
    public static func blobPath(for digest: Digest) -> String {
        "\(blobsDirectory)/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }

    /// Decodes `oci-layout`, refusing versions other than 1.0.0.
    public static func decode(from data: Data) throws(ImageError) -> OCILayout {
        let layout = try decodeImageJSON(OCILayout.self, from: data, document: "oci-layout")
        guard layout.imageLayoutVersion == currentVersion else {
            throw ImageError(
                document: "oci-layout", path: "imageLayoutVersion",
                message: "unsupported version \"\(layout.imageLayoutVersion)\" (expected \(currentVersion))")
        }
        return layout
    }
}
