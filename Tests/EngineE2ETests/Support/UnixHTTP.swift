// A minimal HTTP/1.1 client over a unix socket, for raw API requests (malformed bodies,
// status codes the docker CLI hides) and for waiting on `GET /_ping`. Every call has a
// deadline (SO_RCVTIMEO/SO_SNDTIMEO and a total timeout).
import Foundation
import Glibc

struct HTTPResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [String: String]   // lowercased names
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var description: String { "HTTP \(status) \(headers) \(text)" }
}

enum UnixHTTP {
    /// One request on a fresh connection (`Connection: close`).
    static func request(socket path: String, method: String, path target: String,
                        headers: [String: String] = [:], body: Data? = nil, timeout: Double = 10) throws -> HTTPResponse {
        let fd = try connect(path, timeout: timeout)
        defer { close(fd) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: berth\r\nConnection: close\r\nUser-Agent: berth-e2e\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var payload = Data(head.utf8)
        if let body { payload.append(body) }
        try sendAll(fd, payload)
        return try readResponse(fd, method: method, deadline: Date().addingTimeInterval(timeout))
    }

    /// Connects to a unix socket with send/receive timeouts.
    static func connect(_ path: String, timeout: Double) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SpawnError("socket: \(String(cString: strerror(errno)))") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw SpawnError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw SpawnError("connect \(path): \(message)")
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpawnError("send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    static func readResponse(_ fd: Int32, method: String, deadline: Date) throws -> HTTPResponse {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16384)
        func fill() throws -> Bool {
            if Date() >= deadline { throw SpawnError("HTTP response timed out; got so far: \(String(decoding: data, as: UTF8.self))") }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { data.append(contentsOf: buffer[0..<n]); return true }
            if n == 0 { return false }
            if errno == EINTR { return true }
            if errno == EAGAIN { throw SpawnError("HTTP response timed out; got so far: \(String(decoding: data, as: UTF8.self))") }
            throw SpawnError("recv: \(String(cString: strerror(errno)))")
        }
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while true {
            headerEnd = data.range(of: separator)
            if headerEnd != nil { break }
            guard try fill() else { throw SpawnError("connection closed before the response head: \(String(decoding: data, as: UTF8.self))") }
        }
        let headText = String(decoding: data[data.startIndex..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw SpawnError("bad status line: \(headText)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var rest = Data(data[headerEnd!.upperBound...])
        func more() throws -> Bool {
            let before = data.count
            let ok = try fill()
            if ok { rest.append(data[(data.startIndex + before)...]) }
            return ok
        }
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) {
            return HTTPResponse(status: status, headers: headers, body: Data())
        }
        if let length = headers["content-length"].flatMap(Int.init) {
            while rest.count < length { guard try more() else { break } }
            return HTTPResponse(status: status, headers: headers, body: rest.prefix(length))
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var body = Data()
            var cursor = 0
            while true {
                let crlf = Data("\r\n".utf8)
                var lineRange = rest.range(of: crlf, in: (rest.startIndex + cursor)..<rest.endIndex)
                while lineRange == nil {
                    guard try more() else { return HTTPResponse(status: status, headers: headers, body: body) }
                    lineRange = rest.range(of: crlf, in: (rest.startIndex + cursor)..<rest.endIndex)
                }
                let sizeText = String(decoding: rest[(rest.startIndex + cursor)..<lineRange!.lowerBound], as: UTF8.self)
                let size = Int(sizeText.split(separator: ";")[0].trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
                cursor = lineRange!.upperBound - rest.startIndex
                if size == 0 { return HTTPResponse(status: status, headers: headers, body: body) }
                while rest.count < cursor + size + 2 { guard try more() else { break } }
                body.append(rest[(rest.startIndex + cursor)..<(rest.startIndex + min(cursor + size, rest.count))])
                cursor += size + 2
            }
        }
        while try more() {}
        return HTTPResponse(status: status, headers: headers, body: rest)
    }
}
