import Glibc

/// `berth-runtime start` without exec'ing the runtime (a start's largest fixed cost after
/// create): berth-runtime's `create` leaves the container process waiting on
/// `<runtime-root>/<id>/start.sock`; connecting is the start, and the connection says how
/// the process's execve went — EOF once it succeeded (the descriptor is close-on-exec),
/// or one 512-byte message (int32 type, value, errno; 500 bytes of step text) when it failed.
/// Used only when that socket exists (another runtime, such as runc, has none) and the
/// bundle has no poststart hooks (the runtime's `start` runs those).
enum DirectStart {
    /// berth_msg's size and its ERROR type (CRuntime's cruntime.h).
    static let messageSize = 512
    static let errorType: Int32 = 7

    /// The start socket to use, or nil to run the runtime's `start`.
    static func socketPath(_ a: Arguments) -> String? {
        let path = a.runtimeRoot + "/" + a.id + "/start.sock"
        guard path.utf8.count < 108, access(path, F_OK) == 0,
              let config = try? Sys.readFile(a.bundle + "/config.json", limit: 16 << 20),
              !contains(config, Array("\"poststart\"".utf8)) else { return nil }
        return path
    }

    /// Starts the process behind `path`; the error text is the one `berth-runtime start` prints.
    static func start(path: String, id: String) throws(ShimFailure) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw ShimFailure(SystemError("socket", path)) }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected != 0 {
            throw ShimFailure("berth-runtime: cannot start container \"\(id)\": its process is gone (\(SystemError("connecting to", path)))")
        }
        unlink(path)
        var message = [UInt8](repeating: 0, count: messageSize)
        var got = 0
        while got < messageSize {
            let n = message.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, messageSize - got, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        if got == 0 { return }  // EOF: execve succeeded
        let type = message.withUnsafeBytes { $0.load(fromByteOffset: 0, as: Int32.self) }
        let code = message.withUnsafeBytes { $0.load(fromByteOffset: 8, as: Int32.self) }
        let step = String(decoding: message[12...].prefix { $0 != 0 }, as: UTF8.self)
        guard got == messageSize, type == errorType else {
            throw ShimFailure("berth-runtime: cannot start container \"\(id)\": unexpected reply from the container process")
        }
        let reason: String
        if code >= 2000 { reason = "\(step): killed by signal \(code - 2000)" }
        else if code >= 1000 { reason = "\(step): exited with status \(code - 1000)" }
        else { reason = "container setup failed: \(step): \(String(cString: strerror(code)))" }
        throw ShimFailure("berth-runtime: cannot start container \"\(id)\": \(reason)")
    }

    /// Whether `needle` occurs in `haystack` (a plain scan, no copies: Glibc does not export memmem).
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                for i in 0...(h.count - n.count) where h[i] == n[0] {
                    var k = 1
                    while k < n.count && h[i + k] == n[k] { k += 1 }
                    if k == n.count { return true }
                }
                return false
            }
        }
    }
}
