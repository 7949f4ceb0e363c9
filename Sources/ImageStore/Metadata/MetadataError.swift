import OCI

/// What went wrong in the metadata database; each case names the image, container or row.
public enum MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No image is named `name`.
    case imageNotFound(String)
    /// No image record has target `digest`.
    case digestNotFound(Digest)
    /// Removing `image` would leave container `container` without its image; pass force to do it anyway.
    case inUse(image: String, container: String)
    /// A stored value failed to parse (a corrupt or foreign database).
    case invalidRow(table: String, column: String, value: String)

    public var description: String {
        switch self {
        case .imageNotFound(let name): "no such image: \(name)"
        case .digestNotFound(let digest): "no image with digest \(digest)"
        case .inUse(let image, let container):
            "unable to remove image \(image): it is in use by container \(container) (use force)"
        case .invalidRow(let table, let column, let value):
            "invalid value \"\(value)\" in \(table).\(column)"
        }
    }
}
