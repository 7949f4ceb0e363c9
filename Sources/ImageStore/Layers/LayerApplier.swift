// Applying a layer blob onto a directory: the public entry points.
import CRuntime
import Glibc

/// How a layer's whiteouts are applied.
public enum LayerApplyMode: Sendable, Equatable {
    /// Into the layer's own snapshot directory, stacked by overlayfs (Berth's
    /// snapshot per chainID). A whiteout becomes a character device 0:0 named
    /// like the deleted entry; an opaque directory gets `trusted.overlay.opaque=y`.
    /// `lowerDirs` are the snapshots below, topmost first (overlayfs `lowerdir=`
    /// order); they are read, never written, to resolve symlinks on entry paths
    /// and hard links to files of lower layers (which are copied up).
    case overlay(lowerDirs: [String])
    /// Onto a directory that already holds the lower contents (export, commit):
    /// whiteouts and opaque markers delete for real.
    case flattened
}

/// What applying a layer produced.
public struct LayerApplyResult: Sendable, Equatable {
    /// "sha256:<hex>" of the uncompressed tar stream: the layer's diffID.
    public let diffID: String
    /// Size in bytes of the uncompressed tar stream.
    public let size: Int64
}

/// Applies OCI layer changesets (tar, tar+gzip, tar+zstd) read through libarchive.
///
/// Every entry is placed with descriptor-relative calls under the root; an
/// entry that would land outside it — absolute name, "..", a symlink on its
/// path pointing out, a hard link to outside — fails the whole apply with
/// `LayerError.entryEscapesRoot`.
public struct LayerApplier: Sendable {
    /// Creates an applier; it holds no state between calls.
    public init() {}

    /// Applies the layer read from `fd` (from its current offset) onto `directory`.
    ///
    /// Contract: on error this throws and leaves `directory` partly changed. It
    /// is meant for a fresh directory that is published only on success;
    /// `applyFresh` does exactly that. `compression` nil detects gzip/zstd.
    public func apply(layer fd: Int32, compression: LayerCompression? = nil, to directory: String, mode: LayerApplyMode) throws -> LayerApplyResult {
        let root: LayerRoot
        switch mode {
        case .overlay(let lowerDirs): root = try LayerRoot(path: directory, lowerDirs: lowerDirs, overlay: true)
        case .flattened: root = try LayerRoot(path: directory, lowerDirs: [], overlay: false)
        }
        let reader = try LayerTarReader(fd: fd, compression: compression)
        return try LayerApplication(root: root, reader: reader).run()
    }

    /// Applies the layer file at `path` onto `directory`; see `apply(layer:compression:to:mode:)`.
    public func apply(layerAt path: String, compression: LayerCompression? = nil, to directory: String, mode: LayerApplyMode) throws -> LayerApplyResult {
        let fd = try openLayer(path)
        defer { close(fd) }
        return try apply(layer: fd, compression: compression, to: directory, mode: mode)
    }

    /// Applies the layer in overlay mode into a new temporary directory next to
    /// `finalDir`, then renames it to `finalDir` (which must not exist). On any
    /// failure the temporary directory is removed and `finalDir` never appears.
    /// Files are not fsynced one by one: a snapshot can be unpacked again from
    /// its blob, so only the rename is made durable (the parent is fsynced).
    public func applyFresh(layer fd: Int32, compression: LayerCompression? = nil, into finalDir: String, parent lowerDirs: [String]) throws -> LayerApplyResult {
        var trimmed = finalDir
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let slash = trimmed.lastIndex(of: "/")
        let parentPath = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let base = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        guard !base.isEmpty, base != ".", base != ".." else {
            throw LayerError.system(operation: "apply into", path: finalDir, errno: EINVAL)
        }
        let parent = open(parentPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { throw LayerError.system(operation: "open", path: parentPath, errno: errno) }
        defer { close(parent) }
        if faccessat(parent, base, F_OK, AT_SYMLINK_NOFOLLOW) == 0 { throw LayerError.destinationExists(path: finalDir) }

        var template = Array("\(parentPath)/.\(base).apply-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw LayerError.system(operation: "mkdtemp", path: parentPath, errno: errno)
        }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let tempName = Array(tempPath.utf8.split(separator: UInt8(ascii: "/")).last!)
        do {
            guard chmod(tempPath, 0o755) == 0 else { throw LayerError.system(operation: "chmod", path: tempPath, errno: errno) }
            let result = try apply(layer: fd, compression: compression, to: tempPath, mode: .overlay(lowerDirs: lowerDirs))
            let rc = tempName.withCName { berth_layer_rename_noreplace(parent, $0, parent, base) }
            if rc != 0 {
                throw errno == EEXIST || errno == ENOTEMPTY
                    ? LayerError.destinationExists(path: finalDir)
                    : LayerError.system(operation: "rename", path: finalDir, errno: errno)
            }
            _ = fsync(parent)
            return result
        } catch {
            try? LayerFS.removeTree(parent, tempName, path: tempPath)
            throw error
        }
    }

    /// Applies the layer file at `path`; see `applyFresh(layer:compression:into:parent:)`.
    public func applyFresh(layerAt path: String, compression: LayerCompression? = nil, into finalDir: String, parent lowerDirs: [String]) throws -> LayerApplyResult {
        let fd = try openLayer(path)
        defer { close(fd) }
        return try applyFresh(layer: fd, compression: compression, into: finalDir, parent: lowerDirs)
    }

    private func openLayer(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LayerError.system(operation: "open layer", path: path, errno: errno) }
        return fd
    }
}
