import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connection to a shim's control socket (`<dir>/shim.sock`).
final class ControlConnection {
    let fd: Int32

    init(socket path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard r == 0 else {
            let e = errno
            close(fd)
            throw TestFailure("connect \(path): \(String(cString: strerror(e)))")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// One reply line (without its newline), or nil.
    func readLine(timeout: TimeInterval = 30) -> String? {
        ShimTests_readLine(fd, timeout: timeout)
    }

    /// Sends a stdin frame (stream 0) or close-stdin (stream 3, empty).
    func sendFrame(stream: UInt8, _ payload: [UInt8] = []) {
        let n = UInt32(payload.count)
        send([stream, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + payload)
    }

    /// Reads frames until `done` says so, EOF, or `timeout`. Returns the frames and whether EOF came.
    func readFrames(timeout: TimeInterval = 30, until done: ([(stream: UInt8, payload: [UInt8])]) -> Bool = { _ in false })
        -> (frames: [(stream: UInt8, payload: [UInt8])], eof: Bool)
    {
        var frames: [(stream: UInt8, payload: [UInt8])] = []
        var pending: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(frames) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            if remaining == 0 || poll(&pfd, 1, remaining) <= 0 { return (frames, false) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (frames, true) }
            pending += buffer[0..<n]
            while pending.count >= 8 {
                let length = Int(pending[4]) << 24 | Int(pending[5]) << 16 | Int(pending[6]) << 8 | Int(pending[7])
                guard pending.count >= 8 + length else { break }
                frames.append((pending[0], Array(pending[8..<(8 + length)])))
                pending.removeFirst(8 + length)
            }
        }
        return (frames, false)
    }
}

/// The text of the frames of one stream, concatenated.
func text(of frames: [(stream: UInt8, payload: [UInt8])], stream: UInt8) -> String {
    String(decoding: frames.filter { $0.stream == stream }.flatMap { $0.payload }, as: UTF8.self)
}

/// Adjacent frames of the same stream merged: the order in which the streams took turns.
func turns(of frames: [(stream: UInt8, payload: [UInt8])]) -> [(UInt8, String)] {
    var result: [(UInt8, String)] = []
    for frame in frames {
        let text = String(decoding: frame.payload, as: UTF8.self)
        if let last = result.last, last.0 == frame.stream {
            result[result.count - 1].1 += text
        } else {
            result.append((frame.stream, text))
        }
    }
    return result
}

/// readLine from Spawn.swift (named apart so ControlConnection.readLine can call it).
func ShimTests_readLine(_ fd: Int32, timeout: TimeInterval) -> String? {
    readLine(fd, timeout: timeout)
}
