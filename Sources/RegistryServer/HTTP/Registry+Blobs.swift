import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OCI

extension Registry {
    /// `GET`/`HEAD /v2/<name>/blobs/<digest>`, with single-range `Range: bytes=a-b` (206, or 416).
    ///
    /// The body is read from the file in 256 KiB chunks. After each chunk it waits for one turn of the
    /// connection's event loop: the write it just handed over has then reached the channel, which
    /// has updated its writability, so the next write waits for the socket. Without that turn the
    /// reader runs ahead of the event loop and queues chunks in memory.
    func getBlob(_ request: Request, name: String, digest text: String, head: Bool, eventLoop: (any EventLoop)?) throws -> Response {
        let digest = try Self.parseDigest(text)
        guard storage.repositoryHasBlob(name, digest), let size = storage.blobSize(digest) else {
            throw RegistryError(.blobUnknown, "blob unknown to registry", detail: digest.string)
        }
        var headers = HTTPFields()
        headers[.dockerContentDigest] = digest.string
        headers[.contentType] = "application/octet-stream"
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = "\"\(digest.string)\""
        if size == 0 {
            headers[.contentLength] = "0"
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        var range: ClosedRange<Int64> = 0...(size - 1)
        var status: HTTPResponse.Status = .ok
        if let header = request.headers[.range] {
            guard let requested = Self.parseRange(header, size: size) else {
                var failure = HTTPFields()
                failure[.contentRange] = "bytes */\(size)"
                throw RegistryError(.blobUnknown, "requested range not satisfiable", detail: header,
                                    status: .rangeNotSatisfiable, headers: failure)
            }
            range = requested
            status = .partialContent
            headers[.contentRange] = "bytes \(requested.lowerBound)-\(requested.upperBound)/\(size)"
        }
        let length = range.upperBound - range.lowerBound + 1
        headers[.contentLength] = String(length)
        if head { return Response(status: status, headers: headers, body: ResponseBody()) }
        let path = storage.blobPath(digest)
        let start = range.lowerBound
        let body = ResponseBody(contentLength: Int(length)) { writer in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StorageError.system("open", path: path, errno: errno) }
            defer { close(fd) }
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
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `DELETE /v2/<name>/blobs/<digest>`: removes the repository's link (gc frees the bytes).
    func deleteBlob(name: String, digest text: String) throws -> Response {
        let digest = try Self.parseDigest(text)
        guard storage.unlinkBlob(name, digest) else {
            throw RegistryError(.blobUnknown, "blob unknown to registry", detail: digest.string)
        }
        var headers = HTTPFields()
        headers[.dockerContentDigest] = digest.string
        return Self.empty(.accepted, headers: headers)
    }

    /// Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against a size; nil when unsatisfiable or malformed.
    static func parseRange(_ header: String, size: Int64) -> ClosedRange<Int64>? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), !text.contains(","), size > 0 else { return nil }
        let spec = text.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let lower = Int64(first), lower < size else { return nil }
        if last.isEmpty { return lower...(size - 1) }
        guard let upper = Int64(last), upper >= lower else { return nil }
        return lower...min(upper, size - 1)
    }
}
