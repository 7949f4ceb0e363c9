// Producing a layer from a changed tree: the public entry points.
import Glibc

/// Where the changes of a new layer come from.
public enum LayerDiffSource: Sendable, Equatable {
    /// An overlayfs upper directory (unmounted): every entry in it is a change,
    /// a character device 0:0 is a deletion (`.wh.<name>`) and a directory with
    /// `trusted.overlay.opaque=y` replaces its lower contents (`.wh..wh..opq`).
    case overlayUpper(String)
    /// A full tree compared with the tree below it: added or changed entries
    /// (type, mode, owner, size, mtime, link target, device, xattrs; content
    /// when the mtimes are equal but carry no nanoseconds) and whiteouts for
    /// entries that are gone.
    case compare(directory: String, lower: String)
}

/// What writing a layer produced.
public struct LayerDiffResult: Sendable, Equatable {
    /// "sha256:<hex>" of the uncompressed tar: the layer's diffID.
    public let diffID: String
    /// Size in bytes of the uncompressed tar.
    public let uncompressedSize: Int64
    /// "sha256:<hex>" of the compressed blob, when compressing.
    public let compressedDigest: String?
    /// Size in bytes of the compressed blob, when compressing.
    public let compressedSize: Int64?

    /// Digest of the bytes written to the output (the blob's content digest).
    public var digest: String { compressedDigest ?? diffID }
    /// Number of bytes written to the output.
    public var size: Int64 { compressedSize ?? uncompressedSize }
}

/// Writes layer changesets as PAX tars, deterministically: entries in
/// depth-first order with each directory's children sorted bytewise (an opaque
/// marker first), numeric owners only, no atime/ctime, sorted xattrs
/// (trusted.overlay.* and security.selinux left out), hard links within the
/// layer kept. The same tree gives the same bytes.
public struct LayerDiffer: Sendable {
    /// Creates a differ; it holds no state between calls.
    public init() {}

    /// Writes the layer for `source` to `output` (from its current offset).
    /// `sourceDateEpoch` clamps every mtime to at most that time and dates
    /// whiteout entries with it, like BuildKit's SOURCE_DATE_EPOCH.
    public func diff(_ source: LayerDiffSource, to output: Int32, compression: LayerCompression = .none, sourceDateEpoch: Int64? = nil) throws -> LayerDiffResult {
        let writer = try LayerTarWriter(fd: output, compression: compression)
        switch source {
        case .overlayUpper(let upper):
            let emitter = LayerEntryEmitter(writer: writer, sourceDateEpoch: sourceDateEpoch, overlayUpper: true)
            try LayerDiffWalk(emitter: emitter).upper(try Self.openRoot(upper), path: [])
        case .compare(let directory, let lower):
            let emitter = LayerEntryEmitter(writer: writer, sourceDateEpoch: sourceDateEpoch, overlayUpper: false)
            try LayerDiffWalk(emitter: emitter).compare(try Self.openRoot(directory), try Self.openRoot(lower), path: [])
        }
        return try writer.finish()
    }

    /// Writes the layer for `source` into a new file at `path` (mode 0644); see `diff(_:to:compression:sourceDateEpoch:)`.
    public func diff(_ source: LayerDiffSource, toFileAt path: String, compression: LayerCompression = .none, sourceDateEpoch: Int64? = nil) throws -> LayerDiffResult {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LayerError.system(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        return try diff(source, to: fd, compression: compression, sourceDateEpoch: sourceDateEpoch)
    }

    private static func openRoot(_ path: String) throws -> DirHandle {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LayerError.system(operation: "open", path: path, errno: errno) }
        return DirHandle(fd: fd)
    }
}
