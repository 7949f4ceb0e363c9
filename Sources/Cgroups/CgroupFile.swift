import Glibc

/// Plain POSIX access to cgroup files: one open, one read or write, one close.
/// cgroupfs reports errors from the write itself (EINVAL, EBUSY...), so every
/// failure is turned into a `CgroupError` naming the file and the value.
enum CgroupFile {
    /// Writes `value` to `path` (no trailing newline needed by cgroupfs).
    static func write(_ value: String, to path: String, controller: String) throws(CgroupError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 {
            throw .write(controller: controller, path: path, value: value, errno: errno)
        }
        defer { close(fd) }
        var failure: Int32 = 0
        var utf8 = Array(value.utf8)
        if utf8.isEmpty { utf8 = [0x0a] }
        utf8.withUnsafeBytes { buffer in
            while true {
                let n = Glibc.write(fd, buffer.baseAddress, buffer.count)
                if n >= 0 { return }
                if errno == EINTR { continue }
                failure = errno
                return
            }
        }
        if failure != 0 {
            throw .write(controller: controller, path: path, value: value, errno: failure)
        }
    }

    /// Reads the whole of `path` as text, with surrounding whitespace trimmed.
    static func read(_ path: String, controller: String) throws(CgroupError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw .read(controller: controller, path: path, errno: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .read(controller: controller, path: path, errno: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return trimmed(String(decoding: bytes, as: UTF8.self))
    }

    /// Reads `path`, or returns nil when the file does not exist.
    static func readIfPresent(_ path: String, controller: String) throws(CgroupError) -> String? {
        do {
            return try read(path, controller: controller)
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
    }

    /// Whether `path` exists.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Parses an unsigned counter, where "max" means unlimited (nil).
    static func readUInt64(_ path: String, controller: String) throws(CgroupError) -> UInt64? {
        let text = try read(path, controller: controller)
        if text == "max" { return nil }
        guard let value = UInt64(text) else { throw .parse(path: path, content: text) }
        return value
    }

    /// Parses "key value" lines (memory.stat, cpu.stat, cgroup.events).
    static func readKeyValues(_ path: String, controller: String) throws(CgroupError) -> [String: UInt64] {
        let text = try read(path, controller: controller)
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let value = UInt64(parts[1]) {
                result[String(parts[0])] = value
            }
        }
        return result
    }

    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c == " " || c == "\n" || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\n" || c == "\t" { s.removeLast() }
        return String(s)
    }

    /// Lists the subdirectories of `path` (child cgroups), or [] if it has none or is gone.
    static func subdirectories(of path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Sleeps for `microseconds`.
    static func pause(microseconds: UInt32) {
        usleep(microseconds)
    }
}
