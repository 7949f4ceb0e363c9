import Glibc

/// A failed system call in the image store, with the operation and path it was about.
public struct StoreFSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call or step that failed ("open", "rename", "fsync", ...).
    public let operation: String
    /// The path it was applied to.
    public let path: String
    /// The errno value it failed with.
    public let code: Int32

    /// Builds the error for `operation` on `path` failing with `code`.
    public init(_ operation: String, _ path: String, _ code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}

/// Small POSIX helpers shared by the content store and the snapshotter.
/// Every call retries EINTR and reports failures as `StoreFSError`.
enum StoreFS {
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw StoreFSError("open", path) }
        }
    }

    /// Writes all of `buffer` to `fd`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreFSError("write", path)
            }
            offset += n
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw StoreFSError("read", path) }
        }
    }

    static func fsync(_ fd: Int32, path: String) throws {
        if Glibc.fsync(fd) != 0 { throw StoreFSError("fsync", path) }
    }

    /// Makes a rename or unlink in `dir` durable.
    static func fsyncDirectory(_ dir: String) throws {
        let fd = try open(dir, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: dir)
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String, mode: mode_t = 0o711) throws {
        if isDirectory(path) { return }
        let parent = parentOf(path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw StoreFSError("mkdir", path) }
    }

    static func parentOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func lstat(_ path: String) -> stat? {
        var st = stat()
        return Glibc.lstat(path, &st) == 0 ? st : nil
    }

    static func exists(_ path: String) -> Bool { lstat(path) != nil }

    static func isDirectory(_ path: String) -> Bool {
        guard let st = lstat(path) else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in `dir` except "." and ".."; an absent directory lists as empty.
    static func list(_ dir: String) throws -> [String] {
        guard let handle = opendir(dir) else {
            if errno == ENOENT { return [] }
            throw StoreFSError("opendir", dir)
        }
        defer { closedir(handle) }
        return names(in: handle)
    }

    /// The names an open directory stream yields, except "." and "..".
    static func names(in handle: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes `bytes` to `path` (created or truncated) and fsyncs them.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
        try fsync(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw StoreFSError("rename", "\(from) -> \(to)") }
    }

    /// Removes `path` and everything below it, fd-relative, without following symlinks and
    /// without crossing into other mounts (a mount below makes it fail with EBUSY).
    /// An absent path is not an error.
    static func removeTree(_ path: String) throws {
        guard let st = lstat(path) else { return }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            if unlink(path) != 0 && errno != ENOENT { throw StoreFSError("unlink", path) }
            return
        }
        let fd = try open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        try removeContents(fd, device: st.st_dev, path: path)
        if rmdir(path) != 0 && errno != ENOENT { throw StoreFSError("rmdir", path) }
    }

    /// Empties the directory open as `fd` (and closes it).
    private static func removeContents(_ fd: Int32, device: dev_t, path: String) throws {
        guard let handle = fdopendir(fd) else {
            close(fd)
            throw StoreFSError("fdopendir", path)
        }
        defer { closedir(handle) }
        let names = names(in: handle)
        for name in names {
            let childPath = path + "/" + name
            var st = stat()
            if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { continue }
                throw StoreFSError("fstatat", childPath)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if st.st_dev != device { throw StoreFSError("remove", childPath, EBUSY) }
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child < 0 { throw StoreFSError("openat", childPath) }
                try removeContents(child, device: device, path: childPath)
                if unlinkat(fd, name, AT_REMOVEDIR) != 0 && errno != ENOENT { throw StoreFSError("rmdir", childPath) }
            } else if unlinkat(fd, name, 0) != 0 && errno != ENOENT {
                throw StoreFSError("unlink", childPath)
            }
        }
    }

    /// Total bytes allocated below `path` (directories included), without crossing mounts.
    static func usage(_ path: String) -> Int64 {
        var total: Int64 = 0
        var inodes = Set<[UInt64]>()
        var stack = [path]
        while let current = stack.popLast() {
            guard let st = lstat(current) else { continue }
            let key = [UInt64(st.st_dev), UInt64(st.st_ino)]
            if st.st_nlink > 1 && !inodes.insert(key).inserted { continue }
            total += Int64(st.st_blocks) * 512
            if (st.st_mode & S_IFMT) == S_IFDIR, let names = try? list(current) {
                for name in names {
                    let child = current + "/" + name
                    if let cst = lstat(child), cst.st_dev != st.st_dev { continue }
                    stack.append(child)
                }
            }
        }
        return total
    }

    /// Random lowercase hex of `bytes` random bytes (getrandom).
    static func randomHex(_ bytes: Int = 8) -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Seconds since the epoch of the last modification of `st`.
    static func modificationTime(_ st: stat) -> Double {
        Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Lowercase hexadecimal encoding.
enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
