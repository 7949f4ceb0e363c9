/// An HTTP/1.1 request to the Engine API.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `DELETE`, `HEAD`, `PUT`.
    public var method: String
    /// The path with its query string, already versioned and percent-encoded.
    public var target: String
    /// Extra header fields (Host, Content-Length and Transfer-Encoding are added by the connection).
    public var headers: [(String, String)]
    /// What follows the head.
    public var body: Body

    /// A request body.
    public enum Body: Sendable {
        /// No body.
        case none
        /// A body in memory, sent with Content-Length.
        case bytes([UInt8])
        /// A body streamed from a descriptor (a file or stdin) until EOF, sent chunked.
        case stream(fd: Int32)
        /// Bytes, then whole files, sent with Content-Length (`berth build`'s context upload).
        case parts(head: [UInt8], files: [FilePart])
    }

    /// A file sent as part of a body: exactly `size` bytes, or the request fails.
    public struct FilePart: Sendable {
        public var path: String
        public var size: Int64
        /// The mtime (ns) the file was listed with: a file changed since is not sent.
        public var mtime: Int64

        public init(path: String, size: Int64, mtime: Int64) { self.path = path; self.size = size; self.mtime = mtime }
    }

    public init(method: String, target: String, headers: [(String, String)] = [], body: Body = .none) {
        self.method = method; self.target = target; self.headers = headers; self.body = body
    }

    /// The request line and header block.
    func head() -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: berth\r\nUser-Agent: berth-cli\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        switch body {
        case .none:
            if method == "POST" || method == "PUT" { text += "Content-Length: 0\r\n" }
        case .bytes(let bytes):
            text += "Content-Length: \(bytes.count)\r\n"
        case .stream:
            text += "Transfer-Encoding: chunked\r\n"
        case .parts(let head, let files):
            text += "Content-Length: \(Int64(head.count) + files.reduce(0) { $0 + $1.size })\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass through).
public func percentEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".utf8)
            out += "%"
            out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
            out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
        }
    }
    return out
}

/// `path?k=v&…` with each value percent-encoded; nil values are left out.
public func buildTarget(_ path: String, _ query: [(String, String?)]) -> String {
    let parts = query.compactMap { key, value in value.map { "\(percentEncode(key))=\(percentEncode($0))" } }
    return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
}
