// fd-relative filesystem primitives shared by the layer applier and differ.
// Names are raw bytes (tar names need not be UTF-8); every call takes a
// directory descriptor plus one component and never follows a final symlink.
import CRuntime
import Glibc

/// One path component, or a "/"-joined relative path, as raw bytes.
typealias NameBytes = [UInt8]

extension Array where Element == UInt8 {
    /// Calls `body` with a NUL-terminated copy of the bytes.
    func withCName<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var copy = self
        copy.append(0)
        return try copy.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The bytes as text for messages (invalid UTF-8 is replaced).
    var display: String { String(decoding: self, as: UTF8.self) }

    /// Components joined with "/".
    static func joined(_ components: [NameBytes]) -> NameBytes {
        var out = NameBytes()
        for (index, component) in components.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: component)
        }
        return out
    }

    /// Whether the bytes start with `prefix`.
    func hasBytePrefix(_ prefix: String) -> Bool { starts(with: Array(prefix.utf8)) }
}

/// The kinds of filesystem object a layer carries (plus sockets, which it cannot).
enum FileKind: Equatable {
    case regular, directory, symlink, charDevice, blockDevice, fifo, socket

    /// The kind for an `st_mode` / archive file type value.
    init?(mode: UInt32) {
        switch mode & 0o170000 {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        case 0o020000: self = .charDevice
        case 0o060000: self = .blockDevice
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        default: return nil
        }
    }

    /// The S_IF* bits of this kind.
    var typeBits: UInt32 {
        switch self {
        case .regular: return 0o100000
        case .directory: return 0o040000
        case .symlink: return 0o120000
        case .charDevice: return 0o020000
        case .blockDevice: return 0o060000
        case .fifo: return 0o010000
        case .socket: return 0o140000
        }
    }
}

/// The fields of lstat that layers care about.
struct FileStat {
    var kind: FileKind
    var permissions: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64
    var rdev: UInt64
    var device: UInt64
    var inode: UInt64
    var links: UInt64
    var atime: timespec
    var mtime: timespec

    /// An overlayfs whiteout: a character device 0:0.
    var isWhiteout: Bool { kind == .charDevice && rdev == 0 }
}

/// A directory descriptor closed when the last reference goes away.
final class DirHandle {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}

/// Thin wrappers over the *at() calls; errors carry the errno.
enum LayerFS {
    static let openDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC

    /// lstat of `name` in `dirfd`; nil when it does not exist (ENOENT/ENOTDIR).
    static func stat(_ dirfd: Int32, _ name: NameBytes, path: @autoclosure () -> String) throws -> FileStat? {
        var st = Glibc.stat()
        let rc = name.withCName { fstatat(dirfd, $0, &st, AT_SYMLINK_NOFOLLOW) }
        if rc != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw LayerError.system(operation: "lstat", path: path(), errno: errno)
        }
        guard let kind = FileKind(mode: st.st_mode) else {
            throw LayerError.unsupportedEntryType(entry: path(), type: st.st_mode & 0o170000)
        }
        return FileStat(
            kind: kind, permissions: st.st_mode & 0o7777, uid: st.st_uid, gid: st.st_gid,
            size: Int64(st.st_size), rdev: UInt64(st.st_rdev), device: UInt64(st.st_dev),
            inode: UInt64(st.st_ino), links: UInt64(st.st_nlink), atime: st.st_atim, mtime: st.st_mtim)
    }

    /// Opens the directory `name` of `dirfd` without following a symlink.
    static func openDirectory(_ dirfd: Int32, _ name: NameBytes, path: @autoclosure () -> String) throws -> DirHandle {
        let fd = name.withCName { openat(dirfd, $0, openDirectoryFlags) }
        guard fd >= 0 else { throw LayerError.system(operation: "open directory", path: path(), errno: errno) }
        return DirHandle(fd: fd)
    }

    /// The target of the symlink `name` in `dirfd`, as bytes.
    static func readLink(_ dirfd: Int32, _ name: NameBytes, path: @autoclosure () -> String) throws -> NameBytes {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = name.withCName { cname in
            buffer.withUnsafeMutableBytes { readlinkat(dirfd, cname, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
        guard count >= 0 else { throw LayerError.system(operation: "readlink", path: path(), errno: errno) }
        return Array(buffer[0..<count])
    }

    /// The names in directory `dirfd` (without "." and ".."), sorted bytewise.
    static func list(_ dirfd: Int32, path: @autoclosure () -> String) throws -> [NameBytes] {
        let copy = dup(dirfd)
        guard copy >= 0, let dir = fdopendir(copy) else {
            let code = errno
            throw LayerError.system(operation: "read directory", path: path(), errno: code)
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [NameBytes] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw LayerError.system(operation: "read directory", path: path(), errno: errno) }
                break
            }
            let name: NameBytes = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [46] || name == [46, 46] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Removes `name` from `dirfd`, recursively for a directory; never follows
    /// symlinks. A missing entry is not an error.
    static func removeTree(_ dirfd: Int32, _ name: NameBytes, path: String) throws {
        if name.withCName({ unlinkat(dirfd, $0, 0) }) == 0 || errno == ENOENT { return }
        guard errno == EISDIR || errno == EPERM else {
            throw LayerError.system(operation: "remove", path: path, errno: errno)
        }
        let dir = try openDirectory(dirfd, name, path: path)
        for child in try list(dir.fd, path: path) {
            try removeTree(dir.fd, child, path: path + "/" + child.display)
        }
        if name.withCName({ unlinkat(dirfd, $0, AT_REMOVEDIR) }) != 0 && errno != ENOENT {
            throw LayerError.system(operation: "remove directory", path: path, errno: errno)
        }
    }

    /// The extended attributes of `name` in `dirfd`, sorted by key.
    static func xattrs(_ dirfd: Int32, _ name: NameBytes, path: @autoclosure () -> String) throws -> [(key: String, value: [UInt8])] {
        let size = name.withCName { berth_layer_listxattr_at(dirfd, $0, nil, 0) }
        if size < 0 {
            if errno == ENOTSUP || errno == EOPNOTSUPP { return [] }
            throw LayerError.system(operation: "listxattr", path: path(), errno: errno)
        }
        if size == 0 { return [] }
        var list = [UInt8](repeating: 0, count: size)
        let got = name.withCName { cname in
            list.withUnsafeMutableBytes { berth_layer_listxattr_at(dirfd, cname, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
        guard got >= 0 else { throw LayerError.system(operation: "listxattr", path: path(), errno: errno) }
        var result: [(key: String, value: [UInt8])] = []
        for keyBytes in list[0..<got].split(separator: 0) {
            let key = String(decoding: keyBytes, as: UTF8.self)
            if let value = try xattr(dirfd, name, key: key, path: path()) { result.append((key, value)) }
        }
        return result.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// One extended attribute of `name` in `dirfd`; nil when absent.
    static func xattr(_ dirfd: Int32, _ name: NameBytes, key: String, path: @autoclosure () -> String) throws -> [UInt8]? {
        while true {
            let size = name.withCName { berth_layer_getxattr_at(dirfd, $0, key, nil, 0) }
            if size < 0 {
                if errno == ENODATA || errno == ENOTSUP || errno == EOPNOTSUPP { return nil }
                throw LayerError.system(operation: "getxattr \(key)", path: path(), errno: errno)
            }
            var value = [UInt8](repeating: 0, count: size)
            let got = name.withCName { cname in
                value.withUnsafeMutableBytes { berth_layer_getxattr_at(dirfd, cname, key, $0.baseAddress, $0.count) }
            }
            if got < 0 && errno == ERANGE { continue }  // grew between the two calls
            guard got >= 0 else { throw LayerError.system(operation: "getxattr \(key)", path: path(), errno: errno) }
            return Array(value[0..<got])
        }
    }

    /// Sets one extended attribute; returns 0 or the errno.
    static func setXattr(_ dirfd: Int32, _ name: NameBytes, key: String, value: [UInt8]) -> Int32 {
        let rc = name.withCName { cname in
            value.withUnsafeBytes { berth_layer_setxattr_at(dirfd, cname, key, $0.baseAddress, $0.count) }
        }
        return rc == 0 ? 0 : errno
    }

    /// Whether the directory `name` of `dirfd` carries trusted.overlay.opaque=y.
    static func isOpaque(_ dirfd: Int32, _ name: NameBytes) -> Bool {
        (try? xattr(dirfd, name, key: overlayOpaqueXattr, path: "")) == Array("y".utf8)
    }

    /// Reads exactly up to `count` bytes (fewer only at end of file).
    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        var done = 0
        while done < count {
            let n = read(fd, buffer + done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return -1 }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all `count` bytes at `offset`.
    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, at offset: Int64) -> Bool {
        var done = 0
        while done < count {
            let n = pwrite(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}

/// The overlayfs xattr that makes an upper directory hide its lower contents.
let overlayOpaqueXattr = "trusted.overlay.opaque"
/// Prefix of a whiteout entry in a layer tar.
let whiteoutPrefix = ".wh."
/// Name of the opaque-directory marker entry in a layer tar.
let opaqueMarker = ".wh..wh..opq"
