import Crypto
import Glibc
import ImageStore

/// Who owns copied files: `--chown` resolved, or docker's defaults.
public struct CopyOwnership: Sendable, Equatable {
    /// Owner of every copied entry; nil keeps the source's (COPY --from without --chown).
    public var uid: UInt32?
    /// Group of every copied entry; nil keeps the source's.
    public var gid: UInt32?
    /// `--chmod` bits for every copied entry; nil keeps the source's.
    public var mode: mode_t?

    /// An ownership.
    public init(uid: UInt32?, gid: UInt32?, mode: mode_t?) { self.uid = uid; self.gid = gid; self.mode = mode }
}

/// Writes the entries a COPY/ADD selected into a step directory (the new layer's contents, in
/// overlay-upper form over the image root readable at `view`), and digests them for the cache.
///
/// Parent directories that exist in the image are recreated with the image's owner, mode and
/// mtime (so the layer does not change them); new ones are 0755 and owned like the copied files.
public struct CopyWriter: Sendable {
    /// The image root as it is before the step (read-only).
    public let view: String
    /// The directory receiving the step's changes.
    public let upper: String
    /// Ownership and mode applied to what is copied.
    public let ownership: CopyOwnership

    /// A writer.
    public init(view: String, upper: String, ownership: CopyOwnership) {
        self.view = view; self.upper = upper; self.ownership = ownership
    }

    /// The digest the cache keys on: each entry's destination, type, mode, owner, size, link target
    /// and content hash — never its mtime.
    public static func digest(of entries: [CopyEntry], ownership: CopyOwnership) throws(CopyError) -> String {
        var hasher = SHA256()
        for entry in entries {
            var st = stat()
            guard lstat(entry.source, &st) == 0 else { throw .system(operation: "lstat", path: entry.source, errno: errno) }
            let mode = ownership.mode ?? (st.st_mode & 0o7777)
            let uid = ownership.uid ?? st.st_uid, gid = ownership.gid ?? st.st_gid
            var line = "\(entry.destination.joined(separator: "/"))\u{0}\(st.st_mode & S_IFMT)\u{0}\(mode)\u{0}\(uid):\(gid)\u{0}\(entry.extract)"
            switch st.st_mode & S_IFMT {
            case S_IFREG: line += "\u{0}\(st.st_size)\u{0}" + (try contentHash(entry.source))
            case S_IFLNK: line += "\u{0}" + ScopedPath.readLink(entry.source)
            default: break
            }
            hasher.update(data: Array((line + "\n").utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Hex SHA-256 of `text`.
    static func hash(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func contentHash(_ path: String) throws(CopyError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw .system(operation: "read", path: path, errno: errno) }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Writes every entry (directories first as they come, parents made as needed).
    public func write(_ entries: [CopyEntry]) throws(CopyError) {
        for entry in entries {
            try makeParents(of: entry.destination)
            let target = ScopedPath.join(upper, entry.destination)
            if entry.extract {
                try makeDirectory(entry.destination, like: nil)
                do {
                    _ = try LayerApplier().apply(layerAt: entry.source, to: target, mode: .flattened)
                } catch {
                    throw .unsupported("extracting \(entry.source): \(error)")
                }
                continue
            }
            var st = stat()
            guard lstat(entry.source, &st) == 0 else { throw .system(operation: "lstat", path: entry.source, errno: errno) }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                try makeDirectory(entry.destination, like: st)
            case S_IFREG:
                try copyFile(entry.source, to: target, st)
            case S_IFLNK:
                unlink(target)
                let link = ScopedPath.readLink(entry.source)
                guard symlink(link, target) == 0 else { throw .system(operation: "symlink", path: target, errno: errno) }
                lchown(target, ownership.uid ?? st.st_uid, ownership.gid ?? st.st_gid)
                var times = [st.st_atim, st.st_mtim]
                utimensat(AT_FDCWD, target, &times, AT_SYMLINK_NOFOLLOW)
            default:
                continue   // sockets, fifos and devices are not copied from a context
            }
        }
        // Directory mtimes last: writing their children changed them.
        for entry in entries.reversed() where entry.type == S_IFDIR && !entry.extract {
            var st = stat()
            if lstat(entry.source, &st) == 0 {
                var times = [st.st_atim, st.st_mtim]
                utimensat(AT_FDCWD, ScopedPath.join(upper, entry.destination), &times, AT_SYMLINK_NOFOLLOW)
            }
        }
    }

    /// Creates the parent directories of `destination` in the upper directory.
    func makeParents(of destination: [String]) throws(CopyError) {
        guard destination.count > 1 else { return }
        for depth in 1..<destination.count {
            let prefix = Array(destination.prefix(depth))
            var existing = stat()
            if lstat(ScopedPath.join(upper, prefix), &existing) == 0 { continue }
            var inImage = stat()
            let fromImage = lstat(ScopedPath.join(view, prefix), &inImage) == 0 && inImage.st_mode & S_IFMT == S_IFDIR
            try makeDirectory(prefix, like: fromImage ? inImage : nil, keepImageOwner: fromImage)
        }
    }

    /// Makes directory `parts` in the upper directory (kept when present) with `like`'s mode and
    /// owner (the copied directory's, or the image's for an existing parent), 0755 when nil.
    func makeDirectory(_ parts: [String], like source: stat?, keepImageOwner: Bool = false) throws(CopyError) {
        let path = ScopedPath.join(upper, parts)
        var st = stat()
        if lstat(path, &st) != 0 {
            guard mkdir(path, 0o755) == 0 else { throw .system(operation: "mkdir", path: path, errno: errno) }
        } else if st.st_mode & S_IFMT != S_IFDIR {
            unlink(path)
            guard mkdir(path, 0o755) == 0 else { throw .system(operation: "mkdir", path: path, errno: errno) }
        }
        if keepImageOwner, let source {
            chown(path, source.st_uid, source.st_gid)
            chmod(path, source.st_mode & 0o7777)
            var times = [source.st_atim, source.st_mtim]
            utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
            return
        }
        chown(path, ownership.uid ?? source?.st_uid ?? 0, ownership.gid ?? source?.st_gid ?? 0)
        chmod(path, ownership.mode ?? (source.map { $0.st_mode & 0o7777 } ?? 0o755))
    }

    func copyFile(_ source: String, to target: String, _ st: stat) throws(CopyError) {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw .system(operation: "open", path: source, errno: errno) }
        defer { close(input) }
        unlink(target)
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard output >= 0 else { throw .system(operation: "create", path: target, errno: errno) }
        defer { close(output) }
        var remaining = Int(st.st_size)
        var useRange = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while remaining > 0 {
            if useRange {
                let n = sendfile(output, input, nil, min(remaining, 1 << 30))
                if n > 0 { remaining -= n; continue }
                if n == 0 { break }
                if errno == EINTR { continue }
                useRange = false   // EXDEV, EINVAL, ENOSYS: copy by hand
            }
            let n = read(input, buffer.baseAddress, min(buffer.count, remaining))
            if n < 0 { if errno == EINTR { continue }; throw .system(operation: "read", path: source, errno: errno) }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let w = Glibc.write(output, buffer.baseAddress! + offset, n - offset)
                if w < 0 { if errno == EINTR { continue }; throw .system(operation: "write", path: target, errno: errno) }
                offset += w
            }
            remaining -= n
        }
        fchown(output, ownership.uid ?? st.st_uid, ownership.gid ?? st.st_gid)
        fchmod(output, ownership.mode ?? (st.st_mode & 0o7777))
        var times = [st.st_atim, st.st_mtim]
        futimens(output, &times)
    }
}
