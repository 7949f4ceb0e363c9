/// Something bytes can be pulled from: a response body, a hijacked connection.
public protocol ByteSource: AnyObject {
    /// Up to `max` bytes, or nil at the end of the stream. Never returns an empty array.
    func read(max: Int) throws -> [UInt8]?
}

extension ByteSource {
    /// Every remaining byte.
    public func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try read(max: 64 * 1024) { all += chunk }
        return all
    }

    /// Exactly `count` bytes, or nil if the stream ends first (a partial read is a protocol error).
    public func readExactly(_ count: Int) throws -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            guard let chunk = try read(max: count - out.count) else {
                if out.isEmpty { return nil }
                throw ClientError.protocolViolation("stream ended inside a frame (\(out.count) of \(count) bytes)")
            }
            out += chunk
        }
        return out
    }
}

/// Splits a byte source into lines (without the `\n`), for JSON-lines streams.
public final class LineReader {
    private let source: ByteSource
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    public init(_ source: ByteSource) { self.source = source }

    /// The next line, or nil at the end; a last line without `\n` is returned too.
    public func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[start..<nl])
                start = nl + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if ended {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            if let chunk = try source.read(max: 64 * 1024) { buffer += chunk } else { ended = true }
        }
    }
}
