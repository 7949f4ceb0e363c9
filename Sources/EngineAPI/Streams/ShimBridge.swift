import Engine
import NIOCore

/// Joins a hijacked client connection to a shim's attach stream. The shim speaks docker's
/// multiplexed framing both ways (see docs/shim.md); the client gets the frames as they are
/// (or the bare payload for a TTY) and its raw stdin bytes are framed for the shim.
enum ShimBridge {
    struct Options {
        var stdin: Bool
        var stdout: Bool
        var stderr: Bool
        var tty: Bool
        /// Closing the client's stdin closes the process's stdin (docker run -i, exec).
        var closeStdinOnEOF: Bool
        /// Bytes that detach the client (ctrl-p ctrl-q by default), nil for none.
        var detachKeys: [UInt8]?
    }

    /// Connects to the shim at `socket` and asks for its stream (the reply is read by `run`).
    static func connect(socket: String, stdin: Bool, group: EventLoopGroup) async throws -> RawChannel {
        let shim = try await RawChannel.connect(unixSocket: socket, group: group)
        try await shim.write(Array("attach \(stdin ? 1 : 0)\n".utf8))
        return shim
    }

    /// Pumps until the process's output ends (or the client goes, or detaches).
    /// `onReady` runs once the shim has accepted the attach (or refused it).
    /// `beforeClose` runs after the output ended, before the client's connection closes (an exec
    /// waits there for its exit code, which clients read as soon as the stream ends).
    static func run(client: RawChannel, shim: RawChannel, options: Options, onReady: @escaping @Sendable () async -> Void,
                    beforeClose: @Sendable () async -> Void = {}) async {
        let pumpInput: @Sendable () async -> Void = {
            guard options.stdin else {
                for await _ in client.inbound {}
                return
            }
            var matched = 0
            for await var chunk in client.inbound {
                var bytes = chunk.readBytes(length: chunk.readableBytes) ?? []
                if let keys = options.detachKeys, !keys.isEmpty {
                    var out: [UInt8] = []
                    for b in bytes {
                        if b == keys[matched] {
                            matched += 1
                            if matched == keys.count {
                                if !out.isEmpty { try? await shim.write(frame(0, out)) }
                                await client.close()
                                await shim.close()
                                return
                            }
                            continue
                        }
                        if matched > 0 { out += keys[0..<matched]; matched = 0 }
                        out.append(b)
                    }
                    bytes = out
                }
                if !bytes.isEmpty { try? await shim.write(frame(0, bytes)) }
            }
            if options.closeStdinOnEOF { try? await shim.write(frame(3, [])) }
        }
        var input: Task<Void, Never>?
        var parser = FrameParser()
        var handshake: [UInt8]? = []
        func forward() async -> Bool {
            while let (stream, payload) = parser.next() {
                if stream == 1 && !options.stdout { continue }
                if stream == 2 && !options.stderr { continue }
                do {
                    try await client.write(options.tty ? payload : frame(stream, payload))
                } catch { return false }
            }
            return true
        }
        for await var chunk in shim.inbound {
            let bytes = chunk.readBytes(length: chunk.readableBytes) ?? []
            if var pending = handshake {
                pending += bytes
                guard let newline = pending.firstIndex(of: 0x0a) else { handshake = pending; continue }
                handshake = nil
                await onReady()
                input = Task { await pumpInput() }
                guard pending[..<newline].elementsEqual("ok".utf8) else { break }
                parser.feed(Array(pending[(newline + 1)...]))
            } else {
                parser.feed(bytes)
            }
            if !(await forward()) { break }
        }
        if handshake != nil { await onReady() }
        input?.cancel()
        await shim.close()
        await beforeClose()
        await client.closeWrite()
        await client.close()
    }

    /// Docker's 8-byte header + payload.
    static func frame(_ stream: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + payload
    }
}

/// Splits a byte stream into docker frames.
struct FrameParser {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func feed(_ bytes: [UInt8]) {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        buffer += bytes
    }

    mutating func next() -> (UInt8, [UInt8])? {
        guard buffer.count - start >= 8 else { return nil }
        let length = Int(buffer[start + 4]) << 24 | Int(buffer[start + 5]) << 16 | Int(buffer[start + 6]) << 8 | Int(buffer[start + 7])
        guard buffer.count - start - 8 >= length else { return nil }
        let stream = buffer[start]
        let payload = Array(buffer[(start + 8)..<(start + 8 + length)])
        start += 8 + length
        if start > 65536 { buffer.removeFirst(start); start = 0 }
        return (stream, payload)
    }
}
