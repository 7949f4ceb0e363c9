/// Well-known annotation keys.
public enum ImageAnnotation {
    /// The reference (tag, or full name) of a manifest in an OCI layout's index.json.
    public static let refName = "org.opencontainers.image.ref.name"
    /// The full image name containerd (and `docker save` since 25) writes in index.json.
    public static let containerdImageName = "io.containerd.image.name"
    /// Creation time, RFC 3339.
    public static let created = "org.opencontainers.image.created"
    /// Human-readable title.
    public static let title = "org.opencontainers.image.title"
    /// Human-readable description.
    public static let description = "org.opencontainers.image.description"
    /// Source code URL.
    public static let source = "org.opencontainers.image.source"
    /// Source revision.
    public static let revision = "org.opencontainers.image.revision"
    /// Version of the packaged software.
    public static let version = "org.opencontainers.image.version"
    /// Reference of the base image.
    public static let baseName = "org.opencontainers.image.base.name"
    /// Digest of the base image's manifest.
    public static let baseDigest = "org.opencontainers.image.base.digest"
    /// BuildKit's marker on index entries that are attestations (`attestation-manifest`), not images.
    public static let dockerReferenceType = "vnd.docker.reference.type"
    /// The image manifest an attestation describes.
    public static let dockerReferenceDigest = "vnd.docker.reference.digest"
}
