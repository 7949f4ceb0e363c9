#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A connected, blocking `AF_UNIX` stream socket.
///
/// Blocking POSIX I/O is deliberate: attach and exec hijack the HTTP connection
/// into a full-duplex byte pipe (which AsyncHTTPClient cannot hand over), and a
/// CLI invocation must start cheaply, without an event loop or thread pool.
/// Full duplex use is one reader thread plus one writer thread, hence `@unchecked`.
public final class UnixSocket: @unchecked Sendable {
    /// The descriptor; -1 once closed.
    public private(set) var fd: Int32

    /// Connects to `address`; a failure becomes `ClientError.cannotConnect`.
    public init(connectingTo address: DaemonAddress) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError.system("socket", errno: errno) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(address.socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard pathBytes.count < capacity else {
            close(fd)
            throw ClientError.invalidHost(address.description, reason: "the socket path is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if rc != 0 {
            let code = errno
            close(fd)
            throw ClientError.cannotConnect(address, errno: code)
        }
        self.fd = fd
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Writes every byte, retrying on EINTR and short writes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                throw ClientError.system("write to the daemon", errno: errno)
            }
            offset += n
        }
    }

    /// Writes every byte of `bytes`.
    public func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return 0 }
                throw ClientError.system("read from the daemon", errno: errno)
            }
            return n
        }
    }

    /// Half-closes the write side: the daemon sees end of input (stdin closed).
    public func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Shuts down both directions, waking a reader blocked in another thread.
    public func shutdownBoth() { _ = shutdown(fd, Int32(SHUT_RDWR)) }
}
