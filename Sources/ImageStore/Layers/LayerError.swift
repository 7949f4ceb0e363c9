// Errors of layer apply and diff: each names the entry or path and, for system
// calls, the errno, so the message says what was wrong and where.
import Glibc

/// A failure while applying or producing a layer; rendered once, at the edge.
public enum LayerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The entry's name is absolute, climbs out with "..", or its path (or its
    /// hard link target) goes through a symlink that points outside the root.
    case entryEscapesRoot(entry: String)
    /// The layer is compressed with a filter this libarchive cannot read.
    case unsupportedCompression(mediaType: String)
    /// libarchive could not read or write the stream (`entry` when inside one).
    case archive(entry: String?, message: String)
    /// A system call failed on `path` (relative to the root) with `errno`.
    case system(operation: String, path: String, errno: Int32)
    /// A component on the entry's parent path exists and is not a directory.
    case notADirectory(entry: String, path: String)
    /// A hard link names a target that exists neither in the layer nor below it.
    case hardLinkTargetMissing(entry: String, target: String)
    /// A tar entry type that a layer cannot carry (e.g. a socket).
    case unsupportedEntryType(entry: String, type: UInt32)
    /// An overlay upper directory uses a feature a layer cannot express
    /// (redirect_dir or metacopy xattrs).
    case unsupportedOverlayFeature(path: String, xattr: String)
    /// The final directory of `applyFresh` already exists.
    case destinationExists(path: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .entryEscapesRoot(let entry):
            return "layer entry \"\(entry)\" escapes the root"
        case .unsupportedCompression(let mediaType):
            return "layer media type \(mediaType) is not supported: libarchive here cannot decompress it"
        case .archive(let entry?, let message):
            return "layer entry \"\(entry)\": \(message)"
        case .archive(nil, let message):
            return "layer stream: \(message)"
        case .system(let operation, let path, let code):
            return "\(operation) \"\(path)\": \(String(cString: strerror(code))) (errno \(code))"
        case .notADirectory(let entry, let path):
            return "layer entry \"\(entry)\": \"\(path)\" is not a directory"
        case .hardLinkTargetMissing(let entry, let target):
            return "layer entry \"\(entry)\": hard link target \"\(target)\" does not exist"
        case .unsupportedEntryType(let entry, let type):
            return "layer entry \"\(entry)\": unsupported file type 0o\(String(type, radix: 8))"
        case .unsupportedOverlayFeature(let path, let xattr):
            return "overlay upper entry \"\(path)\" uses \(xattr), which a layer cannot express"
        case .destinationExists(let path):
            return "layer destination \"\(path)\" already exists"
        }
    }
}
