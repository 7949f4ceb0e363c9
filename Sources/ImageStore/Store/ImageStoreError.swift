import Glibc
import OCI

/// What went wrong in an `ImageStore` operation; each case names the image, blob, layer or path.
public enum ImageStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No image is known by `reference`.
    case imageNotFound(String)
    /// `text` is not a valid image reference (`reason` says why).
    case invalidReference(String, reason: String)
    /// Image `image` has no manifest for `platform` (its index lists none that matches).
    case noMatchingManifest(image: String, platform: String)
    /// Blob `digest`, needed as `role` (e.g. "config of sha256:…"), is not in the content store.
    case blobMissing(Digest, role: String)
    /// Blob `digest` (a manifest, index or config) could not be decoded.
    case unreadableDocument(Digest, reason: String)
    /// Layer blob `layer` unpacked to `actual`, but the image config expects diff ID `expected`.
    case diffIDMismatch(layer: Digest, expected: Digest, actual: Digest)
    /// The image's config lists `diffIDs` diff IDs but its manifest has `layers` layers.
    case layerCountMismatch(config: Digest, layers: Int, diffIDs: Int)
    /// Layer blob `layer` has media type `mediaType`, which Berth cannot unpack.
    case unsupportedLayer(layer: Digest, mediaType: String)
    /// `id` is not usable as a container ID (letters, digits, `_`, `-`, `.`; not `.`/`..`).
    case invalidContainerID(String)
    /// A container root filesystem for `id` exists already.
    case containerExists(String)
    /// A system call failed on `path`.
    case system(operation: String, path: String, errno: Int32)

    /// The message shown to the user, naming what was wrong and where.
    public var description: String {
        switch self {
        case .imageNotFound(let reference): "no such image: \(reference)"
        case .invalidReference(let text, let reason): "invalid reference \"\(text)\": \(reason)"
        case .noMatchingManifest(let image, let platform): "image \(image) has no manifest for \(platform)"
        case .blobMissing(let digest, let role): "blob \(digest) (\(role)) is missing from the content store"
        case .unreadableDocument(let digest, let reason): "cannot read \(digest): \(reason)"
        case .diffIDMismatch(let layer, let expected, let actual):
            "layer \(layer) has diff ID \(actual), but the image config expects \(expected)"
        case .layerCountMismatch(let config, let layers, let diffIDs):
            "image config \(config) lists \(diffIDs) diff IDs for \(layers) layers"
        case .unsupportedLayer(let layer, let mediaType): "layer \(layer) has unsupported media type \(mediaType)"
        case .invalidContainerID(let id): "invalid container ID \"\(id)\""
        case .containerExists(let id): "a root filesystem for container \(id) exists already"
        case .system(let operation, let path, let code):
            "\(operation) \"\(path)\": \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
