/// Buffered reads from a socket: the HTTP head line by line, then the body.
/// Bytes read past the head stay buffered for the body or the hijacked stream.
public final class SocketReader: ByteSource, @unchecked Sendable {
    let socket: UnixSocket
    private var buffer: [UInt8] = []
    private var start = 0

    public init(_ socket: UnixSocket) { self.socket = socket }

    private func fill() throws -> Bool {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = try chunk.withUnsafeMutableBytes { try socket.read(into: $0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// One CRLF- (or LF-) terminated line without its terminator; nil at EOF.
    public func readLine(limit: Int = 64 * 1024) throws -> String? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = nl
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                return line
            }
            if buffer.count - start > limit { throw ClientError.protocolViolation("header line longer than \(limit) bytes") }
            guard try fill() else { return nil }
        }
    }

    /// Buffered bytes first, then one socket read.
    public func read(max: Int) throws -> [UInt8]? {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true); start = 0
            guard try fill() else { return nil }
        }
        let end = min(buffer.count, start + max)
        let out = Array(buffer[start..<end])
        start = end
        return out
    }
}
