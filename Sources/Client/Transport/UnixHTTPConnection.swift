#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One HTTP/1.1 exchange on its own unix socket connection.
///
/// Every request gets a fresh connection (a unix connect costs microseconds), so
/// long streams, hijacks and a pending `wait` never block each other.
public final class UnixHTTPConnection: @unchecked Sendable {
    public let socket: UnixSocket
    let reader: SocketReader
    let method: String

    /// Connects and sends the whole request (a streamed body is copied until EOF).
    public init(address: DaemonAddress, request: HTTPRequest) throws {
        socket = try UnixSocket(connectingTo: address)
        reader = SocketReader(socket)
        method = request.method
        try socket.writeAll(request.head())
        switch request.body {
        case .none: break
        case .bytes(let bytes): try socket.writeAll(bytes)
        case .stream(let fd): try Self.sendChunked(from: fd, to: socket)
        case .parts(let head, let files):
            try socket.writeAll(head)
            for file in files { try Self.sendFile(file, to: socket) }
        }
    }

    /// Sends exactly `file.size` bytes of the file (sendfile); a file that changed since it was
    /// listed fails the request, as its bytes would no longer match the listing.
    private static func sendFile(_ file: HTTPRequest.FilePart, to socket: UnixSocket) throws {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw ClientError.system("open \(file.path)", errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, Int64(st.st_size) == file.size,
              Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec) == file.mtime else {
            throw ClientError.changedWhileSending(file.path)
        }
        var left = file.size
        while left > 0 {
            let n = sendfile(socket.fd, fd, nil, Int(min(left, 1 << 30)))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ClientError.system("send \(file.path)", errno: errno)
            }
            if n == 0 { throw ClientError.changedWhileSending(file.path) }
            left -= Int64(n)
        }
    }

    /// Reads the response head; the body follows through `ResponseBody`.
    public func response() throws -> HTTPResponse {
        let head = try HTTPResponseHead.read(from: reader)
        let body = try ResponseBody(reader: reader, head: head, method: method)
        return HTTPResponse(head: head, body: body, connection: self)
    }

    /// Copies `fd` to the socket in chunked encoding, ending with the zero chunk.
    private static func sendChunked(from fd: Int32, to socket: UnixSocket) throws {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ClientError.system("read the request body", errno: errno)
            }
            if n == 0 { break }
            try socket.writeAll(Array(String(n, radix: 16).utf8) + [13, 10])
            try buffer.withUnsafeBytes { try socket.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            try socket.writeAll([13, 10])
        }
        try socket.writeAll(Array("0\r\n\r\n".utf8))
    }
}

/// A response: head plus a body to read once.
public struct HTTPResponse {
    public var head: HTTPResponseHead
    public var body: ResponseBody
    /// Kept so the socket lives as long as the body is read.
    public let connection: UnixHTTPConnection

    public var status: Int { head.status }
}
