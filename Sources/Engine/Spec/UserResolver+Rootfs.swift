import Glibc

extension UserResolver {
    /// Resolves `user` and `groupAdd` against `<rootfs>/etc/passwd` and `<rootfs>/etc/group`.
    /// The files are found as if `rootfs` were `/`: symlinks (absolute or with "..") never
    /// lead out of it. A missing file counts as empty, like docker.
    public static func resolve(user: String?, groupAdd: [String]? = nil, rootfs: String) throws(SpecBuildError) -> ResolvedUser {
        let passwd = try RootfsFile.read("/etc/passwd", in: rootfs)
        let group = try RootfsFile.read("/etc/group", in: rootfs)
        return try resolve(user: user, groupAdd: groupAdd, passwd: passwd, group: group)
    }
}

/// Reads small files of a container's root filesystem from the host, resolving the path the
/// way `openat2(RESOLVE_IN_ROOT)` would: component by component with `O_NOFOLLOW`, symlinks
/// expanded by hand with "/" meaning the rootfs and ".." stopping at it.
enum RootfsFile {
    /// Most symlinks followed in one lookup (the kernel's limit).
    static let maxSymlinks = 40
    /// O_PATH (Glibc's module hides it behind _GNU_SOURCE); the same value on every Linux machine Berth runs on.
    static let openPath: Int32 = 0o10000000
    /// Largest file read (an /etc/passwd of a few MB is already absurd).
    static let maxBytes = 8 << 20

    /// The file's text, or nil when it (or a directory on the way) does not exist.
    static func read(_ path: String, in rootfs: String) throws(SpecBuildError) -> String? {
        func failure(_ what: String, _ code: Int32 = errno) -> SpecBuildError {
            .userFilesUnreadable(path: path, reason: "\(what): \(String(cString: strerror(code)))")
        }
        let root = open(rootfs, openPath | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw failure("opening the root filesystem") }
        var stack: [Int32] = [root]
        defer { for fd in stack { close(fd) } }

        var pending = components(path)
        var links = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == ".." {
                if stack.count > 1 { close(stack.removeLast()) }
                continue
            }
            let fd = openat(stack[stack.count - 1], name, openPath | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw failure("opening \(name)")
            }
            var st = stat()
            guard fstat(fd, &st) == 0 else { let e = errno; close(fd); throw failure("stat of \(name)", e) }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                links += 1
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlinkat(fd, "", &buffer, buffer.count - 1)
                close(fd)
                guard n >= 0, links <= maxSymlinks else { throw failure("following the symlink \(name)", n < 0 ? errno : ELOOP) }
                let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix("/") {
                    while stack.count > 1 { close(stack.removeLast()) }
                }
                pending = components(target) + pending
                continue
            }
            if pending.isEmpty {
                defer { close(fd) }
                guard kind == S_IFREG else { throw failure("\(path) is not a regular file", EINVAL) }
                return try readAll(fd: fd, failure: failure)
            }
            guard kind == S_IFDIR else { close(fd); return nil }
            stack.append(fd)
        }
        return nil
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// Reads an O_PATH descriptor's file through /proc/self/fd (O_PATH cannot read itself).
    private static func readAll(fd: Int32, failure: (String, Int32) -> SpecBuildError) throws(SpecBuildError) -> String {
        let file = open("/proc/self/fd/\(fd)", O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard file >= 0 else { throw failure("opening for reading", errno) }
        defer { close(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("reading", errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { throw failure("file is larger than \(maxBytes) bytes", EFBIG) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
