import Glibc

/// A failed system call: what was attempted, on which path (if any), and the errno text.
struct SystemError: Error, CustomStringConvertible {
    var operation: String
    var path: String?
    var code: Int32

    init(_ operation: String, _ path: String? = nil, errno code: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var description: String {
        let target = path.map { " \($0)" } ?? ""
        return "\(operation)\(target): \(Sys.errnoText(code))"
    }
}

/// prctl(2) is variadic in C, so Swift does not import it; the shim calls it with
/// all five arguments spelled out (integer arguments pass the same way either side).
@_silgen_name("prctl")
private func c_prctl(_ option: Int32, _ arg2: UInt, _ arg3: UInt, _ arg4: UInt, _ arg5: UInt) -> Int32

/// Thin wrappers over the system calls the shim uses: descriptors, files, clocks.
enum Sys {
    /// strerror(3) as a Swift string, with the errno number.
    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text) + " (errno \(code))"
    }

    /// Orphaned descendants (the container process once the runtime exits) become our children.
    static func becomeChildSubreaper() throws(SystemError) {
        let PR_SET_CHILD_SUBREAPER: Int32 = 36
        if c_prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 { throw SystemError("prctl(PR_SET_CHILD_SUBREAPER)") }
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    static func setCloseOnExec(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// A pipe with both ends close-on-exec (pipe2 is not imported; the shim is single-threaded).
    static func pipe() throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if Glibc.pipe(&fds) != 0 { throw SystemError("pipe") }
        setCloseOnExec(fds[0])
        setCloseOnExec(fds[1])
        return (fds[0], fds[1])
    }

    /// Writes all of `bytes` to a blocking descriptor; false on error.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// One non-blocking write: bytes written, 0 when it would block, -errno on failure.
    static func writeSome(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.write(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
            return -Int(errno)
        }
    }

    /// Writes `bytes` to `name` in the directory `dirFD`: a temporary file, then rename, so a reader
    /// sees the old file or the whole new one. No fsync: these files live in the exec root (/run),
    /// mean nothing after a reboot, and a crash of the shim or daemon does not lose page cache.
    static func writeAtomically(dirFD: Int32, dirPath: String, name: String, _ bytes: [UInt8]) throws(SystemError) {
        let temp = "." + name + ".tmp"
        let fd = openat(dirFD, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SystemError("open", dirPath + "/" + temp) }
        let wrote = writeAll(fd, bytes)
        let code = errno
        close(fd)
        guard wrote else {
            unlinkat(dirFD, temp, 0)
            throw SystemError("write", dirPath + "/" + temp, errno: code)
        }
        if renameat(dirFD, temp, dirFD, name) != 0 {
            let e = errno
            unlinkat(dirFD, temp, 0)
            throw SystemError("rename", dirPath + "/" + name, errno: e)
        }
    }

    /// Reads a small file (at most `limit` bytes).
    static func readFile(_ path: String, limit: Int = 64 * 1024) throws(SystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError("open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path)
            }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// CLOCK_REALTIME in nanoseconds since the epoch.
    static func realtimeNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// CLOCK_MONOTONIC in milliseconds.
    static func monotonicMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// A wait status as a shell reports it: the exit code, or 128 + the signal number.
    static func exitCode(waitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Closes every descriptor except 0, 1, 2 and `keep` (whatever berthd leaked to us).
    /// One byte from `fd`, waiting for it; nil at end of file or on an error.
    static func readByte(_ fd: Int32) -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    static func closeDescriptors(except keep: Set<Int32>) {
        guard let dir = opendir("/proc/self/fd") else { return }
        let own = dirfd(dir)
        var doomed: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), fd > 2, fd != own, !keep.contains(fd) { doomed.append(fd) }
        }
        closedir(dir)
        for fd in doomed { close(fd) }
    }
}
