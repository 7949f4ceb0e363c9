import OCI

extension ContentStore {
    /// Stores the chunks of `source` as a blob: hashed while written to a temp file in
    /// ingest/, fsynced, checked against `expected` digest and `expectedSize` when given,
    /// then renamed under blobs/. On a mismatch, error or cancellation it throws and leaves
    /// no file behind. Concurrent ingests of the same blob all succeed.
    public func ingest<Source: AsyncSequence>(
        expected: Digest? = nil, expectedSize: Int64? = nil, from source: Source
    ) async throws -> ContentInfo where Source.Element == [UInt8] {
        let writer = try IngestWriter(store: self, expected: expected, expectedSize: expectedSize)
        do {
            for try await chunk in source {
                if Task.isCancelled { throw ContentError.cancelled(expected: expected) }
                try chunk.withUnsafeBytes { try writer.write($0) }
            }
        } catch {
            writer.abort()
            throw error
        }
        return try writer.commit()
    }

    /// Stores what `read` yields: it fills the buffer it is given and returns the byte
    /// count, 0 at the end. Same checks and guarantees as the async ingest.
    public func ingest(
        expected: Digest? = nil, expectedSize: Int64? = nil,
        read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> ContentInfo {
        let writer = try IngestWriter(store: self, expected: expected, expectedSize: expectedSize)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        do {
            while true {
                let n = try read(buffer)
                if n == 0 { break }
                try writer.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            }
        } catch {
            writer.abort()
            throw error
        }
        return try writer.commit()
    }

    /// Stores everything readable from file descriptor `fd` up to its end (the descriptor stays open).
    public func ingest(expected: Digest? = nil, expectedSize: Int64? = nil, fileDescriptor fd: Int32) throws -> ContentInfo {
        try ingest(expected: expected, expectedSize: expectedSize) { buffer in
            try StoreFS.read(fd, into: buffer, path: "fd \(fd)")
        }
    }

    /// Stores `bytes` (a manifest, config, or small layer) and returns its descriptor.
    @discardableResult
    public func write(bytes: [UInt8], mediaType: String, expected: Digest? = nil) throws -> Descriptor {
        let writer = try IngestWriter(store: self, expected: expected, expectedSize: Int64(bytes.count))
        try bytes.withUnsafeBytes { try writer.write($0) }
        let info = try writer.commit()
        return Descriptor(mediaType: mediaType, digest: info.digest, size: info.size)
    }
}
