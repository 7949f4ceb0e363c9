/// A connection the daemon has switched to raw, full-duplex bytes (attach, exec start).
///
/// Reading (the container's output) and writing (its stdin) may happen on two
/// threads at once; `closeWrite()` tells the daemon stdin has ended.
public final class HijackedStream: ByteSource, @unchecked Sendable {
    let connection: UnixHTTPConnection
    /// The response head (101 Switching Protocols, or 200 from old daemons).
    public let head: HTTPResponseHead

    init(connection: UnixHTTPConnection, head: HTTPResponseHead) {
        self.connection = connection; self.head = head
    }

    /// True when the daemon said the stream is multiplexed (`application/vnd.docker.multiplexed-stream`).
    public var isMultiplexedByContentType: Bool? {
        guard let type = head.header("content-type") else { return nil }
        if type.contains("multiplexed-stream") { return true }
        if type.contains("raw-stream") { return false }
        return nil
    }

    public func read(max: Int) throws -> [UInt8]? { try connection.reader.read(max: max) }

    /// Sends stdin bytes to the container.
    public func write(_ bytes: UnsafeRawBufferPointer) throws { try connection.socket.writeAll(bytes) }

    /// Half-closes: the container's stdin sees EOF, its output keeps flowing.
    public func closeWrite() { connection.socket.shutdownWrite() }

    /// Ends both directions (wakes a blocked reader).
    public func close() { connection.socket.shutdownBoth() }
}
