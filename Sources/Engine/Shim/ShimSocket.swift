import Glibc

/// A connection to a shim's control socket (`shim.sock`): one text command per connection,
/// a one-line reply (see docs/shim.md). Blocking: use from `Blocking` or the watcher thread.
struct ShimSocket {
    /// Connects to `path`; nil when no shim listens there.
    static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { close(fd); return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { close(fd); return nil }
        return fd
    }

    /// Writes all of `text`.
    static func send(_ fd: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return false }
            offset += n
        }
        return true
    }

    /// Reads one line (without the newline); nil at EOF before a newline.
    static func readLine(_ fd: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 {
                if byte == 10 { return String(decoding: line, as: UTF8.self) }
                line.append(byte)
                if line.count > 65536 { return nil }
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
    }

    /// Sends `command` and returns the reply line; nil when the shim is gone.
    static func request(_ path: String, _ command: String) -> String? {
        guard let fd = connect(path) else { return nil }
        defer { close(fd) }
        guard send(fd, command + "\n") else { return nil }
        return readLine(fd)
    }
}

/// A shim reply: `ok …` or `error …`.
struct ShimReply {
    var ok: Bool
    var text: String
    init(_ line: String?) {
        guard let line else { ok = false; text = "shim is not running"; return }
        if line == "ok" { ok = true; text = "" }
        else if line.hasPrefix("ok ") { ok = true; text = String(line.dropFirst(3)) }
        else if line.hasPrefix("error ") { ok = false; text = String(line.dropFirst(6)) }
        else { ok = false; text = line }
    }
}
