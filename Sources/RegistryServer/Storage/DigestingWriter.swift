import Crypto
import Foundation
import Hummingbird
import OCI

/// Appends request bytes to an upload's data file while hashing them in the same pass.
///
/// The hash state covers exactly the bytes in the file: a buffer is written fully, then hashed;
/// when a write fails the file is cut back to the hashed length, so an interrupted upload can be resumed.
struct DigestingWriter {
    /// The running SHA-256 of the file's bytes, or nil when it must be recomputed from the file
    /// (an upload resumed after a restart).
    var sha256: SHA256?
    /// Bytes in the file.
    private(set) var length: Int64

    /// Starts a hash over an empty file.
    init() {
        sha256 = SHA256()
        length = 0
    }

    /// Continues a file of `length` bytes whose hash state was lost.
    init(resumingAt length: Int64) {
        sha256 = length == 0 ? SHA256() : nil
        self.length = length
    }

    /// Streams `body` onto the end of the file at `path`; returns the bytes added.
    /// Starts writeback every 8 MiB so the final fsync has little left to do.
    mutating func append(_ body: RequestBody, to path: String, limit: Int64? = nil) async throws -> Int64 {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.system("open", path: path, errno: errno) }
        defer { close(fd) }
        let start = length
        var flushedTo = length
        // A body of known size gets its blocks in one extent up front (the file's size stays the
        // bytes written): the page-cache writes then skip ext4's per-block delayed allocation.
        if let limit, limit >= 1 << 20 {
            _ = Self.preallocate?(fd, 1 /* FALLOC_FL_KEEP_SIZE */, off_t(start), off_t(limit))
        }
        do {
            for try await buffer in body {
                if let limit, length - start + Int64(buffer.readableBytes) > limit {
                    throw RegistryError(.sizeInvalid, "body is larger than its Content-Length", detail: "\(limit)")
                }
                try buffer.withUnsafeReadableBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let written = pwrite(fd, raw.baseAddress! + offset, raw.count - offset, off_t(length) + off_t(offset))
                        if written < 0 {
                            if errno == EINTR { continue }
                            throw StorageError.system("write", path: path, errno: errno)
                        }
                        offset += written
                    }
                    sha256?.update(bufferPointer: raw)
                }
                length += Int64(buffer.readableBytes)
                if length - flushedTo >= 8 << 20 {
                    _ = Self.startWriteback?(fd, off_t(flushedTo), off_t(length - flushedTo), 2 /* SYNC_FILE_RANGE_WRITE */)
                    flushedTo = length
                }
            }
        } catch {
            ftruncate(fd, off_t(length))
            // Give back blocks reserved for bytes that never came.
            if let limit, limit >= 1 << 20 {
                _ = Self.preallocate?(fd, 3 /* FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE */, off_t(length), off_t(start + limit - length))
            }
            throw error
        }
        return length - start
    }

    /// `sync_file_range(2)` (Glibc's module map hides it): starts writeback of a range without waiting.
    private static let startWriteback: (@convention(c) (Int32, off_t, off_t, UInt32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, off_t, off_t, UInt32) -> Int32).self)
    }()

    /// `fallocate(2)`, looked up like `sync_file_range`.
    private static let preallocate: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
    }()

    /// The digest of the file with `algorithm`, from the running hash when it has one.
    func digest(of path: String, algorithm: DigestAlgorithm) throws -> OCI.Digest {
        if algorithm == .sha256, let sha256 {
            return OCI.Digest(algorithm: .sha256, bytes: Array(sha256.finalize()))
        }
        return try Self.hashFile(path, algorithm: algorithm)
    }

    /// Hashes a file from disk (uploads resumed after a restart, sha512 digests).
    static func hashFile(_ path: String, algorithm: DigestAlgorithm) throws -> OCI.Digest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.system("open", path: path, errno: errno) }
        defer { close(fd) }
        var sha256 = SHA256()
        var sha512 = SHA512()
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress!, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError.system("read", path: path, errno: errno)
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            switch algorithm {
            case .sha256: sha256.update(bufferPointer: chunk)
            case .sha512: sha512.update(bufferPointer: chunk)
            }
        }
        switch algorithm {
        case .sha256: return OCI.Digest(algorithm: .sha256, bytes: Array(sha256.finalize()))
        case .sha512: return OCI.Digest(algorithm: .sha512, bytes: Array(sha512.finalize()))
        }
    }

    /// Hashes bytes in memory (manifests).
    static func digest(of data: Data, algorithm: DigestAlgorithm) -> OCI.Digest {
        switch algorithm {
        case .sha256: OCI.Digest(algorithm: .sha256, bytes: Array(SHA256.hash(data: data)))
        case .sha512: OCI.Digest(algorithm: .sha512, bytes: Array(SHA512.hash(data: data)))
        }
    }
}
