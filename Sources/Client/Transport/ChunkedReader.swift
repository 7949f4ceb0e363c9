/// The body of a response, framed by Content-Length, chunked encoding or EOF.
public final class ResponseBody: ByteSource, @unchecked Sendable {
    private enum Framing {
        case length(remaining: Int)
        case chunked(remainingInChunk: Int, finished: Bool)
        case untilClose
        case empty
    }

    private let reader: SocketReader
    private var framing: Framing

    init(reader: SocketReader, head: HTTPResponseHead, method: String) throws {
        self.reader = reader
        if method == "HEAD" || head.status == 204 || head.status == 304 {
            framing = .empty
        } else if head.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            framing = .chunked(remainingInChunk: 0, finished: false)
        } else if let length = head.header("content-length") {
            guard let n = Int(length), n >= 0 else { throw ClientError.protocolViolation("bad Content-Length \"\(length)\"") }
            framing = n == 0 ? .empty : .length(remaining: n)
        } else {
            framing = .untilClose
        }
    }

    public func read(max: Int) throws -> [UInt8]? {
        switch framing {
        case .empty:
            return nil
        case .untilClose:
            return try reader.read(max: max)
        case .length(let remaining):
            guard remaining > 0 else { return nil }
            guard let chunk = try reader.read(max: min(max, remaining)) else {
                throw ClientError.protocolViolation("the body ended \(remaining) bytes early")
            }
            framing = .length(remaining: remaining - chunk.count)
            return chunk
        case .chunked(var remaining, let finished):
            if finished { return nil }
            if remaining == 0 {
                remaining = try readChunkSize()
                if remaining == 0 {
                    // Trailer fields until the empty line.
                    while let line = try reader.readLine(), !line.isEmpty {}
                    framing = .chunked(remainingInChunk: 0, finished: true)
                    return nil
                }
            }
            guard let chunk = try reader.read(max: min(max, remaining)) else {
                throw ClientError.protocolViolation("the body ended inside a chunk")
            }
            remaining -= chunk.count
            if remaining == 0 { _ = try reader.readLine() } // CRLF after the chunk data
            framing = .chunked(remainingInChunk: remaining, finished: false)
            return chunk
        }
    }

    /// Parses `<hex>[;ext]` of the next chunk.
    private func readChunkSize() throws -> Int {
        guard let line = try reader.readLine() else { throw ClientError.protocolViolation("the body ended before a chunk size") }
        let hex = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: " \t") } ?? ""
        guard let size = Int(hex, radix: 16), size >= 0 else {
            throw ClientError.protocolViolation("bad chunk size \"\(line)\"")
        }
        return size
    }
}
