/// Media types of the OCI image spec 1.1 and Docker image manifest v2 schema 2, with helpers that classify them.
///
/// Descriptors keep media types as plain strings, so unknown (artifact) types pass through untouched.
public enum MediaType {
    // MARK: OCI

    /// OCI content descriptor.
    public static let ociDescriptor = "application/vnd.oci.descriptor.v1+json"
    /// The `oci-layout` file of an image layout.
    public static let ociLayoutHeader = "application/vnd.oci.layout.header.v1+json"
    /// OCI image manifest.
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    /// OCI image index.
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    /// OCI image configuration.
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    /// OCI layer, uncompressed tar.
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    /// OCI layer, gzip-compressed tar.
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// OCI layer, zstd-compressed tar.
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    /// OCI non-distributable layer, uncompressed (deprecated by the spec, still read).
    public static let ociLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    /// OCI non-distributable layer, gzip (deprecated by the spec, still read).
    public static let ociLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    /// OCI non-distributable layer, zstd (deprecated by the spec, still read).
    public static let ociLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    /// The empty JSON blob `{}`, used as the config of artifacts.
    public static let ociEmptyJSON = "application/vnd.oci.empty.v1+json"

    // MARK: Docker

    /// Docker image manifest v2, schema 2.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// Docker manifest list (the multi-platform index of schema 2).
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// Docker container image configuration.
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    /// Docker layer, gzip-compressed tar.
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// Docker layer, uncompressed tar (written by some tools, e.g. BuildKit's docker exporter).
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
    /// Docker layer, zstd-compressed tar.
    public static let dockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd"
    /// Docker foreign layer (downloaded from `urls`), gzip.
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// Docker foreign layer, uncompressed.
    public static let dockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar"
    /// Docker plugin configuration.
    public static let dockerPluginConfig = "application/vnd.docker.plugin.v1+json"
    /// Docker image manifest v2, schema 1 (refused: deprecated since 2015).
    public static let dockerSchema1Manifest = "application/vnd.docker.distribution.manifest.v1+json"
    /// Docker image manifest v2, schema 1, signed (refused).
    public static let dockerSchema1SignedManifest = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    // MARK: Classification

    /// The media type without parameters and surrounding space, lowercased: `application/json; charset=utf-8` → `application/json`.
    public static func base(_ mediaType: String) -> String {
        let head = mediaType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmingASCIISpaces().lowercased()
    }

    /// True for an image manifest, OCI or Docker schema 2.
    public static func isManifest(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type == ociManifest || type == dockerManifest
    }

    /// True for an image index, OCI or Docker manifest list.
    public static func isIndex(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type == ociIndex || type == dockerManifestList
    }

    /// True for an image configuration, OCI or Docker.
    public static func isConfig(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type == ociConfig || type == dockerConfig
    }

    /// True for Docker schema 1 manifests, which Berth refuses.
    public static func isSchema1(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type == dockerSchema1Manifest || type == dockerSchema1SignedManifest
    }

    /// True for a filesystem layer, OCI (including non-distributable and encrypted) or Docker (including foreign).
    public static func isLayer(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type.hasPrefix("application/vnd.oci.image.layer.")
            || type.hasPrefix("application/vnd.docker.image.rootfs.diff.tar")
            || type.hasPrefix("application/vnd.docker.image.rootfs.foreign.diff.tar")
    }

    /// True for layers that registries do not serve themselves (OCI non-distributable, Docker foreign).
    public static func isNondistributable(_ mediaType: String) -> Bool {
        let type = base(mediaType)
        return type.hasPrefix("application/vnd.oci.image.layer.nondistributable.")
            || type.hasPrefix("application/vnd.docker.image.rootfs.foreign.")
    }

    /// How a layer's tar stream is compressed; nil when `mediaType` is not a layer Berth can unpack
    /// (not a layer, or encrypted).
    public static func layerCompression(_ mediaType: String) -> LayerCompression? {
        let type = base(mediaType)
        guard isLayer(type), !type.contains("encrypted") else { return nil }
        if type.hasSuffix("+gzip") || type.hasSuffix(".tar.gzip") { return LayerCompression.gzip }
        if type.hasSuffix("+zstd") || type.hasSuffix(".tar.zstd") { return LayerCompression.zstd }
        if type.hasSuffix(".tar") { return LayerCompression.none }
        return nil
    }

    /// The OCI media type for a Docker one (manifest, list, config, layers); other types are returned as they are.
    public static func ociEquivalent(_ mediaType: String) -> String {
        switch base(mediaType) {
        case dockerManifest: ociManifest
        case dockerManifestList: ociIndex
        case dockerConfig: ociConfig
        case dockerLayer: ociLayer
        case dockerLayerGzip: ociLayerGzip
        case dockerLayerZstd: ociLayerZstd
        case dockerForeignLayer: ociLayerNondistributable
        case dockerForeignLayerGzip: ociLayerNondistributableGzip
        default: mediaType
        }
    }

    /// The Docker media type for an OCI one (manifest, index, config, layers); other types are returned as they are.
    public static func dockerEquivalent(_ mediaType: String) -> String {
        switch base(mediaType) {
        case ociManifest: dockerManifest
        case ociIndex: dockerManifestList
        case ociConfig: dockerConfig
        case ociLayer: dockerLayer
        case ociLayerGzip: dockerLayerGzip
        case ociLayerZstd: dockerLayerZstd
        case ociLayerNondistributable: dockerForeignLayer
        case ociLayerNondistributableGzip: dockerForeignLayerGzip
        default: mediaType
        }
    }
}

/// How a layer blob is compressed.
public enum LayerCompression: String, Sendable, Hashable, CaseIterable {
    /// A plain tar stream.
    case none
    /// gzip (RFC 1952).
    case gzip
    /// zstd (RFC 8878).
    case zstd
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    func trimmingASCIISpaces() -> String {
        var text = Substring(String(self))
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
