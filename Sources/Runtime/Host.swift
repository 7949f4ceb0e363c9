import Glibc

/// Small, allocation-light file and process helpers over POSIX (no Foundation on the hot path).
public enum Host {
    /// Reads a whole file as UTF-8.
    public static func readFile(_ path: String) throws(RuntimeError) -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    /// Reads a whole file.
    public static func readBytes(_ path: String) throws(RuntimeError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .errno("reading", path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno("reading", path)
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    /// Writes `text` to an existing file (cgroup, /proc) in one write(2).
    public static func writeExisting(_ path: String, _ text: String) throws(RuntimeError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw .errno("opening", path) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        if n != bytes.count { throw .errno("writing \"\(text)\" to", path) }
    }

    /// Writes a file atomically: temporary file, then rename. No fsync, as runc: the runtime's
    /// state lives under /run and means nothing after a reboot; a crashed process loses nothing.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(RuntimeError) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { throw .errno("creating", tmp) }
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let ok = n == bytes.count
        close(fd)
        if !ok { unlink(tmp); throw .errno("writing", tmp) }
        if rename(tmp, path) != 0 { unlink(tmp); throw .errno("renaming", tmp) }
    }

    /// Whether a path exists (without following a final symlink).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Whether a path is a directory (following symlinks).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a directory and its parents.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(RuntimeError) {
        if isDirectory(path) { return }
        let parent = dirname(of: path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && Glibc.errno != EEXIST { throw .errno("creating directory", path) }
    }

    /// Removes a file or a directory tree; missing is fine.
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Lists a directory's entries (without . and ..).
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The directory part of a path.
    public static func dirname(of path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return i == path.startIndex ? "/" : String(path[..<i])
    }

    /// An absolute, lexically clean version of `path` (relative to `base`).
    public static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The current working directory.
    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "/" }
        return String(cString: buf)
    }

    /// The process' start time in clock ticks since boot (field 22 of /proc/<pid>/stat),
    /// and whether it is a zombie; nil when the process does not exist.
    public static func processStart(_ pid: Int32) -> (start: UInt64, zombie: Bool)? {
        guard let stat = try? readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); field 22 is fields[19].
        guard fields.count > 19, let start = UInt64(fields[19]) else { return nil }
        return (start, fields[0] == "Z" || fields[0] == "X")
    }
}
