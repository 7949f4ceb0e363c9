import Glibc
import OCI

/// One blob being written: a uniquely named file in ingest/, hashed as it is written.
/// `commit` verifies and renames it under blobs/; `abort` (or any failed commit) removes it.
/// Used by one task at a time.
final class IngestWriter {
    let path: String
    private let store: ContentStore
    private let expected: Digest?
    private let expectedSize: Int64?
    private var fd: Int32
    private var digester: Digester
    private(set) var written: Int64 = 0

    init(store: ContentStore, expected: Digest?, expectedSize: Int64?) throws {
        self.store = store
        self.expected = expected
        self.expectedSize = expectedSize
        self.digester = Digester(algorithm: expected?.algorithm ?? .sha256)
        let prefix = expected.map { String($0.encoded.prefix(16)) } ?? "blob"
        path = "\(store.ingestDirectory)/\(prefix)-\(StoreFS.randomHex(8)).partial"
        fd = try StoreFS.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    }

    deinit { abort() }

    /// Appends `buffer`; fails early (and aborts) once more than the expected size was written.
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        do {
            try StoreFS.writeAll(fd, buffer, path: path)
        } catch {
            abort()
            throw error
        }
        digester.update(buffer)
        written += Int64(buffer.count)
        if let expectedSize, written > expectedSize {
            abort()
            throw ContentError.sizeMismatch(digest: expected, expected: expectedSize, actual: written)
        }
    }

    /// Checks size and digest, makes the file durable and renames it to its digest.
    /// An identical blob already present (a concurrent ingest won) counts as success.
    func commit() throws -> ContentInfo {
        defer { abort() }
        if let expectedSize, written != expectedSize {
            throw ContentError.sizeMismatch(digest: expected, expected: expectedSize, actual: written)
        }
        let actual = digester.finalize()
        if let expected, actual != expected {
            throw ContentError.digestMismatch(expected: expected, actual: actual)
        }
        let target = store.path(for: actual)
        if store.exists(actual) { return try store.info(actual) }
        if fchmod(fd, 0o444) != 0 { throw StoreFSError("fchmod", path) }
        try StoreFS.fsync(fd, path: path)
        close(fd)
        fd = -1
        // rename(2) replaces an identical blob a concurrent writer committed meanwhile, atomically.
        try StoreFS.rename(path, target)
        try StoreFS.fsyncDirectory(StoreFS.parentOf(target))
        return try store.info(actual)
    }

    /// Closes and removes the temp file; idempotent.
    func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(path)
    }
}
