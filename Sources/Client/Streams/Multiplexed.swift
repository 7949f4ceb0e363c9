/// Which standard stream a frame of docker's multiplexed stream belongs to.
public enum StdStream: UInt8, Sendable {
    case stdin = 0, stdout = 1, stderr = 2
}

/// One frame of a multiplexed stream.
public struct StreamFrame: Sendable, Equatable {
    public var stream: StdStream
    public var payload: [UInt8]
}

/// Decodes docker's multiplexed stream (used when the container has no TTY):
/// an 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr), three zero
/// bytes, big-endian UInt32 payload length — then the payload.
public final class MultiplexedReader {
    private let source: ByteSource

    public init(_ source: ByteSource) { self.source = source }

    /// The next frame, or nil at a clean end of stream.
    public func next() throws -> StreamFrame? {
        while true {
            guard let header = try source.readExactly(8) else { return nil }
            guard let stream = StdStream(rawValue: header[0]) else {
                throw ClientError.protocolViolation("unknown stream type \(header[0]) in a multiplexed stream")
            }
            let length = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
            if length == 0 { continue }
            guard let payload = try source.readExactly(length) else {
                throw ClientError.protocolViolation("stream ended after a frame header")
            }
            return StreamFrame(stream: stream, payload: payload)
        }
    }

    /// Encodes one frame (for tests and for servers).
    public static func encode(_ stream: StdStream, _ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(payload.count)
        return [stream.rawValue, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + payload
    }
}
