import Glibc
import ImageStore

/// Where an upload's body is: in memory, or in the file the server spooled it to.
public enum BuildContextBody: Sendable {
    case bytes([UInt8])
    case file(String)
}

/// Reads the body of `POST /build/contexts/{key}/build`: the JSON header line, then each sent
/// file's bytes, copied into a file descriptor and hashed on the way.
final class ContextUploadReader {
    typealias Source = BuildContextBody

    private let fd: Int32
    private let memory: [UInt8]
    private var offset = 0
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0, end = 0

    /// Opens the body.
    init(_ source: Source) throws {
        switch source {
        case .bytes(let bytes):
            fd = -1; memory = bytes
        case .file(let path):
            memory = []
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw BuildContextError.system(operation: "open", path: path, errno: errno) }
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Refills the buffer when empty; false at the end of the body.
    private func fill() throws -> Bool {
        if start < end { return true }
        if fd < 0 {
            let n = min(buffer.count, memory.count - offset)
            guard n > 0 else { return false }
            buffer.withUnsafeMutableBufferPointer { out in
                memory.withUnsafeBufferPointer { src in
                    out.baseAddress!.update(from: src.baseAddress! + offset, count: n)
                }
            }
            offset += n; start = 0; end = n
            return true
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw BuildContextError.system(operation: "read", path: "the upload", errno: errno) }
            start = 0; end = n
            return n > 0
        }
    }

    /// The first line (without its newline); at most `limit` bytes.
    func headerLine(limit: Int) throws -> [UInt8] {
        var line: [UInt8] = []
        while try fill() {
            if let newline = buffer[start..<end].firstIndex(of: 0x0a) {
                line += buffer[start..<newline]
                start = newline + 1
                return line
            }
            line += buffer[start..<end]
            start = end
            guard line.count <= limit else { break }
        }
        throw BuildContextError.invalid("the upload has no header line")
    }

    /// Copies exactly `count` bytes into `out`, returning their hex SHA-256.
    func copy(_ count: Int64, to out: Int32, path: String) throws -> String {
        var hasher = Digester()
        var left = count
        while left > 0 {
            guard try fill() else { throw BuildContextError.invalid("the upload ended inside \(path)") }
            let n = Int(min(Int64(end - start), left))
            try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[start..<(start + n)])
                hasher.update(chunk)
                var written = 0
                while written < n {
                    let w = write(out, chunk.baseAddress! + written, n - written)
                    if w < 0 { if errno == EINTR { continue }; throw BuildContextError.system(operation: "write", path: path, errno: errno) }
                    written += w
                }
            }
            start += n; left -= Int64(n)
        }
        return hasher.finalize().encoded
    }

    /// True when nothing follows what was read.
    func atEnd() throws -> Bool { try !fill() }
}
