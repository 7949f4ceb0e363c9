/// Docker's multiplexed stream framing: an 8-byte header `[stream][0][0][0][length u32 BE]`
/// and the payload. Stream 1 is stdout, 2 stderr; from the client, 0 carries stdin data and
/// 3 (empty) closes stdin.
enum Frame {
    static let stdin: UInt8 = 0
    static let stdout: UInt8 = 1
    static let stderr: UInt8 = 2
    static let closeStdin: UInt8 = 3

    /// Appends one frame carrying `payload` on `stream` to `out`.
    static func append(stream: UInt8, payload: UnsafeRawBufferPointer, to out: inout ByteQueue) {
        let n = UInt32(payload.count)
        let header: [UInt8] = [stream, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
        out.append(header)
        out.append(payload)
    }
}

/// Decodes the frames an attach client sends, handing on stdin payload as it arrives
/// (a frame's payload may span several reads; nothing is buffered but the header).
struct FrameDecoder {
    /// What a client asked for.
    enum Event {
        case stdin(UnsafeRawBufferPointer)
        case closeStdin
    }

    private var header: [UInt8] = []
    private var stream: UInt8 = 0
    private var remaining = 0

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handle: (Event) -> Void) {
        var i = 0
        while i < bytes.count {
            if remaining > 0 {
                let take = min(remaining, bytes.count - i)
                if stream == Frame.stdin {
                    handle(.stdin(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)])))
                }
                remaining -= take
                i += take
                continue
            }
            header.append(bytes[i])
            i += 1
            if header.count == 8 {
                stream = header[0]
                remaining = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
                header.removeAll(keepingCapacity: true)
                if stream == Frame.closeStdin { handle(.closeStdin) }
            }
        }
    }
}
