import Foundation
import Hummingbird
import NIOCore

/// The body of a blob download: a range of a file, put on the wire with as little work as possible.
enum BlobBody {
    /// `length` bytes of the file at `path` from `offset`. On a connection with a
    /// ``FileBodyHandler`` (plain HTTP) the handler streams them on the event loop; otherwise (TLS)
    /// they are read here (``stream(fd:path:offset:length:writer:eventLoop:)``).
    static func make(path: String, offset: Int64, length: Int64, channel: (any Channel)?) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StorageError.system("open", path: path, errno: errno) }
            if let channel {
                let armed: Bool
                do {
                    armed = try await FileBodyHandler.arm(.init(fd: fd, path: path, offset: offset, end: offset + length), on: channel)
                } catch {
                    close(fd)
                    throw error
                }
                if armed {
                    // The empty part stands for the file (the handler now owns fd).
                    try await writer.write(ByteBuffer())
                    try await writer.finish(nil)
                    return
                }
            }
            defer { close(fd) }
            try await stream(fd: fd, path: path, offset: offset, length: length, writer: &writer, eventLoop: channel?.eventLoop)
            try await writer.finish(nil)
        }
    }

    /// Reads the range in 256 KiB chunks and writes each. After each chunk it waits for one turn of
    /// the connection's event loop: the write it just handed over has then reached the channel, which
    /// has updated its writability, so the next write waits for the socket. Without that turn the
    /// reader runs ahead of the event loop and queues chunks in memory.
    private static func stream(fd: CInt, path: String, offset start: Int64, length: Int64,
                               writer: inout any ResponseBodyWriter, eventLoop: (any EventLoop)?) async throws {
        var offset = start
        let end = start + length
        // Two buffers, alternately refilled: by the time one comes round again the channel has
        // written it, so clear() finds its storage unshared and reuses it. A download holds two
        // chunks, and the allocator sees no churn.
        let chunk = Int(min(Int64(256 << 10), length))
        var buffers = [ByteBufferAllocator().buffer(capacity: chunk), ByteBufferAllocator().buffer(capacity: chunk)]
        var turn = 0
        while offset < end {
            let want = Int(min(Int64(chunk), end - offset))
            var buffer = buffers[turn]
            buffers[turn] = ByteBuffer()
            buffer.clear()
            let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw -> Int in
                while true {
                    let count = pread(fd, raw.baseAddress!, want, off_t(offset))
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { throw StorageError.system("read", path: path, errno: count < 0 ? errno : EIO) }
                    return count
                }
            }
            offset += Int64(got)
            try await writer.write(buffer)
            if let eventLoop { try await eventLoop.submit {}.get() }
            buffers[turn] = buffer
            turn ^= 1
        }
    }
}
