import Glibc
import OCI

/// What is wrong with an archive or layout being loaded or a save target; each case names the member,
/// blob or path, so the user sees what to fix. A load that throws has recorded nothing.
public enum TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `path` is neither an OCI image layout (directory or tar) nor a docker-archive.
    case unknownFormat(path: String)
    /// Archive member `entry` would land outside the archive (absolute, `..`, or a link pointing out).
    case memberEscapes(entry: String)
    /// Archive member `entry` has a type an image archive cannot hold (device, fifo, socket).
    case unsupportedMember(entry: String, type: UInt32)
    /// A symlink chain in the archive starting at `entry` does not end at a file.
    case brokenLink(entry: String)
    /// The archive could not be read (`message` from libarchive).
    case archive(path: String, message: String)
    /// `name` (a file the format needs, or a member a manifest names) is not in the archive.
    case missingMember(String)
    /// Blob `digest`, referenced by `referencedBy`, is not in the layout or archive.
    case missingBlob(Digest, referencedBy: String)
    /// `name` hashes to `actual`, not the digest `expected` it is known by.
    case digestMismatch(name: String, expected: Digest, actual: Digest)
    /// `name` is `actual` bytes long, not the `expected` size its descriptor gives.
    case sizeMismatch(name: String, expected: Int64, actual: Int64)
    /// Layer `layer` (position `index`) unpacks to diff ID `actual`, not the config's `expected`.
    case diffIDMismatch(layer: String, index: Int, expected: Digest, actual: Digest)
    /// Config `config` lists `diffIDs` diff IDs for `layers` layers.
    case layerCountMismatch(config: String, layers: Int, diffIDs: Int)
    /// Layer `layer` is not a readable tar stream (`reason`).
    case invalidLayer(layer: String, reason: String)
    /// Document `name` (manifest, index, config, manifest.json) is invalid.
    case invalidDocument(name: String, reason: String)
    /// An image name in the archive (`RepoTags`, annotations) or given for saving is not a valid reference.
    case invalidName(String, reason: String)
    /// The save target `path` exists and is not an empty directory.
    case destinationExists(path: String)
    /// A system call failed on `path`.
    case system(operation: String, path: String, errno: Int32)

    /// The message shown to the user, naming what was wrong and where.
    public var description: String {
        switch self {
        case .unknownFormat(let path): "\(path) is neither an OCI image layout nor a docker-archive"
        case .memberEscapes(let entry): "archive member \"\(entry)\" escapes the archive root"
        case .unsupportedMember(let entry, let type):
            "archive member \"\(entry)\" has unsupported type 0o\(String(type, radix: 8))"
        case .brokenLink(let entry): "archive member \"\(entry)\" is a link that leads to no file"
        case .archive(let path, let message): "cannot read archive \(path): \(message)"
        case .missingMember(let name): "archive has no \"\(name)\""
        case .missingBlob(let digest, let referencedBy): "blob \(digest) referenced by \(referencedBy) is missing"
        case .digestMismatch(let name, let expected, let actual): "\(name) has digest \(actual), expected \(expected)"
        case .sizeMismatch(let name, let expected, let actual): "\(name) is \(actual) bytes, expected \(expected)"
        case .diffIDMismatch(let layer, let index, let expected, let actual):
            "layer \(index) (\(layer)) has diff ID \(actual), but the image config expects \(expected)"
        case .layerCountMismatch(let config, let layers, let diffIDs):
            "image config \(config) lists \(diffIDs) diff IDs for \(layers) layers"
        case .invalidLayer(let layer, let reason): "layer \(layer) is not a valid layer tar: \(reason)"
        case .invalidDocument(let name, let reason): "invalid \(name): \(reason)"
        case .invalidName(let name, let reason): "invalid image name \"\(name)\": \(reason)"
        case .destinationExists(let path): "\(path) exists and is not an empty directory"
        case .system(let operation, let path, let code):
            "\(operation) \"\(path)\": \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
