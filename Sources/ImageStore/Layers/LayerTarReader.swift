// Reads a layer blob as tar entries and computes its diffID on the way.
//
// Design: two libarchive readers in a chain, one pass, nothing buffered to disk.
//   1. `decoder` reads the blob from the file descriptor with format "raw" and
//      the decompression filter(s) enabled; its single entry's data is the
//      uncompressed tar stream.
//   2. `tar` reads format "tar" (ustar, PAX, GNU) with no filter through a read
//      callback that takes the next decompressed block and hands it on.
// Decompression and hashing run on a thread of their own (like `tar -xzf`
// running gzip beside tar): it reads `decoder` to the end of the stream into a
// small ring of blocks, feeding every block to SHA-256, while the caller's
// thread parses entries and writes files. The digest is exactly
// sha256(uncompressed tar), block padding after the end-of-archive marker
// included: the layer's diffID. A decoding error travels through the ring and
// is reported where the tar reader reaches it.
import CArchive
import Crypto
import Glibc

/// A streaming tar reader over a possibly compressed layer blob, hashing the uncompressed bytes.
final class LayerTarReader {
    private static let blockSize = 256 * 1024
    private static let slotCount = 8
    private let fd: Int32
    private let decoder: OpaquePointer
    private let tar: OpaquePointer
    private let sourceBuffer: UnsafeMutableRawPointer
    private let slots: [UnsafeMutableRawPointer]
    private var lengths: [Int]
    private var hasher = SHA256()
    private var firstRead = true
    private let zstdReadable: Bool
    /// A failure of the blob's source, set on the decoding side (before the thread starts, then on it).
    private var sourceReadFailure: LayerError?
    /// A decoding failure the tar side has reached; the tar side's own.
    private var sourceFailure: LayerError?
    /// Uncompressed bytes decoded (final once the stream ended).
    private(set) var size: Int64 = 0

    // The ring between the decoding thread and the tar side, guarded by `lock`.
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let filled: UnsafeMutablePointer<pthread_cond_t>
    private let drained: UnsafeMutablePointer<pthread_cond_t>
    private var head = 0
    private var count = 0
    private var holding = false
    private var ended = false
    private var endFailure: LayerError?
    private var cancelled = false
    private var thread: pthread_t?

    /// Opens the chain on `fd` (read from its current offset); nil `compression` detects gzip and zstd.
    init(fd: Int32, compression: LayerCompression?) throws {
        self.fd = fd
        decoder = archive_read_new()
        tar = archive_read_new()
        sourceBuffer = .allocate(byteCount: Self.blockSize, alignment: 16)
        slots = (0..<Self.slotCount).map { _ in .allocate(byteCount: Self.blockSize, alignment: 16) }
        lengths = Array(repeating: 0, count: Self.slotCount)
        lock = .allocate(capacity: 1)
        filled = .allocate(capacity: 1)
        drained = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(filled, nil)
        pthread_cond_init(drained, nil)
        zstdReadable = archive_read_support_filter_zstd(decoder) == ARCHIVE_OK
        if compression == .zstd && !zstdReadable {
            throw LayerError.unsupportedCompression(mediaType: LayerCompression.zstd.ociMediaType)
        }
        if compression != LayerCompression.none { archive_read_support_filter_gzip(decoder) }
        archive_read_support_format_raw(decoder)
        archive_read_support_format_tar(tar)
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard archive_read_open2(decoder, me, nil, { _, client, out in
            Unmanaged<LayerTarReader>.fromOpaque(client!).takeUnretainedValue().readSource(out!)
        }, nil, nil) == ARCHIVE_OK else { throw decoderError() }
        var entry: OpaquePointer?
        guard archive_read_next_header(decoder, &entry) == ARCHIVE_OK else { throw decoderError() }
        var started = pthread_t()
        let rc = pthread_create(&started, nil, { context in
            Unmanaged<LayerTarReader>.fromOpaque(context!).takeUnretainedValue().decodeAll()
            return nil
        }, me)
        guard rc == 0 else { throw LayerError.system(operation: "start the layer decoder", path: "fd \(fd)", errno: rc) }
        thread = started
        guard archive_read_open2(tar, me, nil, { _, client, out in
            Unmanaged<LayerTarReader>.fromOpaque(client!).takeUnretainedValue().readDecoded(out!)
        }, nil, nil) == ARCHIVE_OK else { throw tarError(entry: nil) }
    }

    deinit {
        stopDecoding()
        archive_read_free(tar)
        archive_read_free(decoder)
        sourceBuffer.deallocate()
        for slot in slots { slot.deallocate() }
        pthread_cond_destroy(drained)
        pthread_cond_destroy(filled)
        pthread_mutex_destroy(lock)
        drained.deallocate()
        filled.deallocate()
        lock.deallocate()
    }

    /// The next entry (valid until the following call), or nil at the end of the archive.
    func next() throws -> OpaquePointer? {
        var entry: OpaquePointer?
        let rc = archive_read_next_header(tar, &entry)
        if rc == ARCHIVE_EOF { return nil }
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else { throw tarError(entry: nil) }
        return entry
    }

    /// Copies the current entry's data into `fd` at the offsets the archive gives (sparse-aware).
    /// Returns the end of the last data written (less than the entry's size when it ends in a hole).
    @discardableResult
    func copyData(to out: Int32, entry: @autoclosure () -> String) throws -> Int64 {
        var buffer: UnsafeRawPointer?
        var length = 0
        var offset: la_int64_t = 0
        var end: Int64 = 0
        while true {
            let rc = archive_read_data_block(tar, &buffer, &length, &offset)
            if rc == ARCHIVE_EOF { return end }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN else { throw tarError(entry: entry()) }
            if length > 0, let buffer {
                guard LayerFS.writeFully(out, buffer, length, at: offset) else {
                    throw LayerError.system(operation: "write", path: entry(), errno: errno)
                }
                end = max(end, Int64(offset) + Int64(length))
            }
        }
    }

    /// Drains the rest of the uncompressed stream into the hash; returns the diffID and size.
    func finish() throws -> (diffID: String, size: Int64) {
        var out: UnsafeRawPointer?
        while true {
            let n = readDecoded(&out)
            if n < 0 { throw sourceFailure ?? decoderError() }
            if n == 0 { break }
        }
        stopDecoding()
        return (sha256String(hasher.finalize()), size)
    }

    /// The decoding thread: the whole uncompressed stream into the ring, hashed on the way.
    private func decodeAll() {
        while true {
            pthread_mutex_lock(lock)
            while count == Self.slotCount && !cancelled { pthread_cond_wait(drained, lock) }
            let stop = cancelled
            let slot = (head + count) % Self.slotCount
            pthread_mutex_unlock(lock)
            if stop { return }
            let n = archive_read_data(decoder, slots[slot], Self.blockSize)
            let failure = n < 0 ? decoderError() : nil
            if n > 0 {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: slots[slot], count: n))
                size += Int64(n)
            }
            pthread_mutex_lock(lock)
            if n > 0 {
                lengths[slot] = n
                count += 1
            } else {
                ended = true
                endFailure = failure
            }
            pthread_cond_signal(filled)
            pthread_mutex_unlock(lock)
            if n <= 0 { return }
        }
    }

    /// Stops the decoding thread (at once when the stream was not read to its end) and waits for it.
    private func stopDecoding() {
        guard let running = thread else { return }
        pthread_mutex_lock(lock)
        cancelled = true
        pthread_cond_signal(drained)
        pthread_mutex_unlock(lock)
        pthread_join(running, nil)
        thread = nil
    }

    /// Source callback of the decoder: raw blob bytes from the descriptor.
    private func readSource(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = LayerFS.readFully(fd, sourceBuffer, Self.blockSize)
        if n < 0 {
            sourceReadFailure = .system(operation: "read layer", path: "fd \(fd)", errno: errno)
            return -1
        }
        if firstRead {
            firstRead = false
            let bytes = UnsafeRawBufferPointer(start: sourceBuffer, count: n)
            if !zstdReadable && bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
                sourceReadFailure = .unsupportedCompression(mediaType: LayerCompression.zstd.ociMediaType)
                return -1
            }
        }
        out.pointee = UnsafeRawPointer(sourceBuffer)
        return n
    }

    /// Source callback of the tar reader: the next decoded block from the ring (the previous
    /// one, which the tar reader is done with, is handed back first).
    private func readDecoded(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        pthread_mutex_lock(lock)
        if holding {
            head = (head + 1) % Self.slotCount
            count -= 1
            holding = false
            pthread_cond_signal(drained)
        }
        while count == 0 && !ended { pthread_cond_wait(filled, lock) }
        if count > 0 {
            let slot = head
            holding = true
            pthread_mutex_unlock(lock)
            out.pointee = UnsafeRawPointer(slots[slot])
            return lengths[slot]
        }
        let failure = endFailure
        pthread_mutex_unlock(lock)
        if let failure {
            sourceFailure = sourceFailure ?? failure
            return -1
        }
        return 0
    }

    /// The decoder's failure; read on the decoding side (or before it starts).
    private func decoderError() -> LayerError {
        if let sourceReadFailure { return sourceReadFailure }
        let message = archive_error_string(decoder).map { String(cString: $0) } ?? "cannot read the layer stream"
        return .archive(entry: nil, message: message)
    }

    private func tarError(entry: String?) -> LayerError {
        // A stream failure (truncated gzip, bad zstd frame) noticed while reading an entry's
        // data is reported with that entry's name.
        if case .archive(nil, let message)? = sourceFailure, let entry { return .archive(entry: entry, message: message) }
        if let sourceFailure { return sourceFailure }
        let message = archive_error_string(tar).map { String(cString: $0) } ?? "cannot read the tar stream"
        return .archive(entry: entry, message: message)
    }
}

/// "sha256:<hex>" of a finished SHA-256.
func sha256String(_ digest: SHA256.Digest) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out = Array("sha256:".utf8)
    for byte in digest {
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
