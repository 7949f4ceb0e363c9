// The compressions a layer blob may use, and how OCI/Docker media types name them.

/// How a layer's tar stream is compressed.
public enum LayerCompression: String, Sendable, CaseIterable {
    /// A plain tar stream.
    case none
    /// tar+gzip.
    case gzip
    /// tar+zstd (readable only when libarchive was built with libzstd).
    case zstd

    /// The compression an OCI or Docker layer media type names; nil for a type that is not a layer.
    public init?(mediaType: String) {
        switch mediaType {
        case "application/vnd.oci.image.layer.v1.tar",
             "application/vnd.oci.image.layer.nondistributable.v1.tar",
             "application/vnd.docker.image.rootfs.diff.tar":
            self = .none
        case "application/vnd.oci.image.layer.v1.tar+gzip",
             "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
             "application/vnd.docker.image.rootfs.diff.tar.gzip",
             "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
            self = .gzip
        case "application/vnd.oci.image.layer.v1.tar+zstd",
             "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
             "application/vnd.docker.image.rootfs.diff.tar.zstd":
            self = .zstd
        default:
            return nil
        }
    }

    /// The OCI media type of a layer with this compression.
    public var ociMediaType: String {
        switch self {
        case .none: return "application/vnd.oci.image.layer.v1.tar"
        case .gzip: return "application/vnd.oci.image.layer.v1.tar+gzip"
        case .zstd: return "application/vnd.oci.image.layer.v1.tar+zstd"
        }
    }
}
