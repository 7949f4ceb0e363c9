// Reads a layer blob as tar entries and computes its diffID on the way.
//
// Design: two libarchive readers in a chain, one pass, nothing buffered to disk.
//   1. `decoder` reads the blob from the file descriptor with format "raw" and
//      the decompression filter(s) enabled; its single entry's data is the
//      uncompressed tar stream.
//   2. `tar` reads format "tar" (ustar, PAX, GNU) with no filter through a read
//      callback that pulls the next decompressed block from `decoder`, feeds it
//      to SHA-256, and hands it on.
// Every byte the tar reader consumes passes through that callback (there is no
// skip callback, so skipped entry data is read, not seeked over), and after the
// end-of-archive marker the rest of the decompressed stream (block padding) is
// drained into the hash too: the digest is exactly sha256(uncompressed tar),
// the layer's diffID.
import CArchive
import Crypto
import Glibc

/// A streaming tar reader over a possibly compressed layer blob, hashing the uncompressed bytes.
final class LayerTarReader {
    private static let blockSize = 128 * 1024
    private let fd: Int32
    private let decoder: OpaquePointer
    private let tar: OpaquePointer
    private let sourceBuffer: UnsafeMutableRawPointer
    private let tarBuffer: UnsafeMutableRawPointer
    private var hasher = SHA256()
    private var firstRead = true
    private let zstdReadable: Bool
    private var sourceFailure: LayerError?
    /// Uncompressed bytes consumed so far.
    private(set) var size: Int64 = 0

    /// Opens the chain on `fd` (read from its current offset); nil `compression` detects gzip and zstd.
    init(fd: Int32, compression: LayerCompression?) throws {
        self.fd = fd
        decoder = archive_read_new()
        tar = archive_read_new()
        sourceBuffer = .allocate(byteCount: Self.blockSize, alignment: 16)
        tarBuffer = .allocate(byteCount: Self.blockSize, alignment: 16)
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
        guard archive_read_open2(tar, me, nil, { _, client, out in
            Unmanaged<LayerTarReader>.fromOpaque(client!).takeUnretainedValue().readDecoded(out!)
        }, nil, nil) == ARCHIVE_OK else { throw tarError(entry: nil) }
    }

    deinit {
        archive_read_free(tar)
        archive_read_free(decoder)
        sourceBuffer.deallocate()
        tarBuffer.deallocate()
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
    func copyData(to out: Int32, entry: String) throws {
        var buffer: UnsafeRawPointer?
        var length = 0
        var offset: la_int64_t = 0
        while true {
            let rc = archive_read_data_block(tar, &buffer, &length, &offset)
            if rc == ARCHIVE_EOF { return }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN else { throw tarError(entry: entry) }
            if length > 0, let buffer, !LayerFS.writeFully(out, buffer, length, at: offset) {
                throw LayerError.system(operation: "write", path: entry, errno: errno)
            }
        }
    }

    /// Drains the rest of the uncompressed stream into the hash; returns the diffID and size.
    func finish() throws -> (diffID: String, size: Int64) {
        while true {
            let n = archive_read_data(decoder, tarBuffer, Self.blockSize)
            if n < 0 { throw decoderError() }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: tarBuffer, count: n))
            size += Int64(n)
        }
        return (sha256String(hasher.finalize()), size)
    }

    /// Source callback of the decoder: raw blob bytes from the descriptor.
    private func readSource(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = LayerFS.readFully(fd, sourceBuffer, Self.blockSize)
        if n < 0 {
            sourceFailure = .system(operation: "read layer", path: "fd \(fd)", errno: errno)
            return -1
        }
        if firstRead {
            firstRead = false
            let bytes = UnsafeRawBufferPointer(start: sourceBuffer, count: n)
            if !zstdReadable && bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
                sourceFailure = .unsupportedCompression(mediaType: LayerCompression.zstd.ociMediaType)
                return -1
            }
        }
        out.pointee = UnsafeRawPointer(sourceBuffer)
        return n
    }

    /// Source callback of the tar reader: decompressed bytes, hashed on the way.
    private func readDecoded(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = archive_read_data(decoder, tarBuffer, Self.blockSize)
        if n < 0 {
            sourceFailure = sourceFailure ?? decoderError()
            return -1
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: tarBuffer, count: n))
        size += Int64(n)
        out.pointee = UnsafeRawPointer(tarBuffer)
        return n
    }

    private func decoderError() -> LayerError {
        if let sourceFailure { return sourceFailure }
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
