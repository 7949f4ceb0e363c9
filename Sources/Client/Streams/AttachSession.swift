import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pumps a hijacked attach/exec stream: the container's output to our
/// stdout/stderr (demultiplexed without a TTY), and — if asked — our stdin to
/// the container on a thread, half-closing the connection when stdin ends.
/// With a TTY and stdin, the detach keys (default ctrl-p,ctrl-q) end the session.
public struct AttachSession {
    public var stream: HijackedStream
    public var tty: Bool
    public var sendStdin: Bool
    public var detachKeys: [UInt8]

    /// How the session ended.
    public enum Outcome: Sendable { case streamEnded, detached }

    public init(stream: HijackedStream, tty: Bool, sendStdin: Bool, detachKeys: [UInt8] = [16, 17]) {
        self.stream = stream; self.tty = tty; self.sendStdin = sendStdin; self.detachKeys = detachKeys
    }

    /// Runs until the output ends (or the user detaches).
    public func run() throws -> Outcome {
        let detached = DetachFlag()
        if sendStdin {
            let stream = self.stream
            let keys = tty ? detachKeys : []
            let thread = Thread {
                Self.copyStdin(to: stream, detachKeys: keys, detached: detached)
            }
            thread.start()
        }
        do {
            try copyOutput(from: stream, multiplexed: !tty)
        } catch {
            if !detached.value { throw error }
        }
        return detached.value ? .detached : .streamEnded
    }

    static func copyStdin(to stream: HijackedStream, detachKeys: [UInt8], detached: DetachFlag) {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        var matched = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var chunk = Array(buffer[0..<n])
            if !detachKeys.isEmpty {
                // Hold back a partial detach sequence; send it if the next byte breaks it.
                var out: [UInt8] = []
                for byte in chunk {
                    if byte == detachKeys[matched] {
                        matched += 1
                        if matched == detachKeys.count {
                            detached.set()
                            stream.close()
                            return
                        }
                    } else {
                        out += detachKeys[0..<matched]
                        matched = 0
                        if byte == detachKeys[0] { matched = 1 } else { out.append(byte) }
                    }
                }
                chunk = out
            }
            if chunk.isEmpty { continue }
            do { try chunk.withUnsafeBytes { try stream.write($0) } } catch { return }
        }
        stream.closeWrite()
    }
}

/// A flag set by the stdin thread, read by the output loop.
final class DetachFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
}

/// Parses docker's `--detach-keys` syntax (`ctrl-p,ctrl-q`, `a,ctrl-@`) into bytes.
public func parseDetachKeys(_ text: String) throws -> [UInt8] {
    try text.split(separator: ",").map { key in
        let lower = key.lowercased()
        if lower.hasPrefix("ctrl-"), lower.count == 6 {
            let c = lower.last!.asciiValue!
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 1
            case UInt8(ascii: "@"): return 0
            case UInt8(ascii: "["): return 27
            case UInt8(ascii: "\\"): return 28
            case UInt8(ascii: "]"): return 29
            case UInt8(ascii: "^"): return 30
            case UInt8(ascii: "_"): return 31
            default: break
            }
        } else if key.count == 1, let ascii = key.first?.asciiValue {
            return ascii
        }
        throw FlagError("Unknown character: '\(key)'")
    }
}
