import Glibc
import OCI

/// An open blob: positional reads, safe to share between tasks; the file is closed on deinit.
public final class ContentReader: Sendable {
    /// The blob being read.
    public let digest: Digest
    /// Its size in bytes when opened.
    public let size: Int64
    private let fd: Int32
    private let path: String

    init(digest: Digest, path: String) throws {
        do {
            fd = try StoreFS.open(path, O_RDONLY)
        } catch let error as StoreFSError where error.code == ENOENT {
            throw ContentError.notFound(digest)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let error = StoreFSError("fstat", path)
            close(fd)
            throw error
        }
        self.digest = digest
        self.path = path
        self.size = Int64(st.st_size)
    }

    deinit { close(fd) }

    /// Reads into `buffer` from `offset`; returns the number of bytes read, 0 at the end.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw StoreFSError("pread", path) }
        }
    }

    /// Up to `count` bytes from `offset` (fewer only at the end of the blob).
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while filled < count {
                let n = try read(at: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { break }
                filled += n
            }
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    /// The blob as an async sequence of chunks of at most `chunkSize` bytes (e.g. to ingest elsewhere).
    public func chunks(size chunkSize: Int = 1 << 20) -> ContentChunks {
        ContentChunks(reader: self, chunkSize: chunkSize)
    }
}

/// A blob read in order as chunks of bytes.
public struct ContentChunks: AsyncSequence, Sendable {
    /// One chunk of the blob.
    public typealias Element = [UInt8]
    let reader: ContentReader
    let chunkSize: Int

    /// Walks the blob from its start.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: ContentReader
        let chunkSize: Int
        var offset: Int64 = 0

        /// The next chunk, or nil at the end of the blob.
        public mutating func next() async throws -> [UInt8]? {
            let chunk = try reader.read(at: offset, count: chunkSize)
            if chunk.isEmpty { return nil }
            offset += Int64(chunk.count)
            return chunk
        }
    }

    /// An iterator from the start of the blob.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: reader, chunkSize: chunkSize)
    }
}
