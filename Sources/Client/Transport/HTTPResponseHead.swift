/// The status line and header fields of a response.
public struct HTTPResponseHead: Sendable {
    public var status: Int
    public var reason: String
    /// Header fields by lowercased name (the last occurrence wins).
    public var headers: [String: String]

    /// A header value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Reads the head from `reader`, skipping interim `100 Continue` responses.
    static func read(from reader: SocketReader) throws -> HTTPResponseHead {
        while true {
            guard let statusLine = try reader.readLine() else {
                throw ClientError.protocolViolation("the daemon closed the connection without a response")
            }
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw ClientError.protocolViolation("bad status line \"\(statusLine)\"")
            }
            var headers: [String: String] = [:]
            while let line = try reader.readLine(), !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else {
                    throw ClientError.protocolViolation("bad header line \"\(line)\"")
                }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
                headers[name] = value
            }
            if status == 100 { continue }
            return HTTPResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
