// Writes a layer tar (PAX) to a descriptor, optionally compressed, hashing on the way.
//
// Design: two libarchive writers in a chain. `tar` writes format PAX with no
// filter into a callback that hashes the uncompressed bytes (the diffID) and
// either writes them to the descriptor or hands them to `compressor`, a writer
// of format "raw" with the gzip or zstd filter whose own callback hashes and
// writes the compressed bytes. Neither pads its last block, so the output is
// exactly the archive (or exactly one compressed stream). gzip is written
// without a timestamp so the same tree gives the same compressed bytes.
import CArchive
import Crypto
import Glibc

/// A streaming PAX tar writer producing a layer blob and its digests.
final class LayerTarWriter {
    private let fd: Int32
    private let tar: OpaquePointer
    private var compressor: OpaquePointer?
    private var tarHasher = SHA256()
    private var outHasher = SHA256()
    private var tarSize: Int64 = 0
    private var outSize: Int64 = 0
    private var failure: LayerError?

    /// Starts a layer on `fd` (written from its current offset).
    init(fd: Int32, compression: LayerCompression) throws {
        self.fd = fd
        tar = archive_write_new()
        let me = Unmanaged.passUnretained(self).toOpaque()
        if compression != .none {
            let compressor = archive_write_new()!
            self.compressor = compressor
            let rc = compression == .gzip ? archive_write_add_filter_gzip(compressor) : archive_write_add_filter_zstd(compressor)
            guard rc == ARCHIVE_OK else { throw LayerError.unsupportedCompression(mediaType: compression.ociMediaType) }
            if compression == .gzip { archive_write_set_filter_option(compressor, "gzip", "timestamp", nil) }
            archive_write_set_format_raw(compressor)
            archive_write_set_bytes_in_last_block(compressor, 1)
            guard archive_write_open(compressor, me, nil, { _, client, buffer, count in
                Unmanaged<LayerTarWriter>.fromOpaque(client!).takeUnretainedValue().writeOut(buffer!, count)
            }, nil) == ARCHIVE_OK else { throw error(compressor) }
            let entry = archive_entry_new()
            defer { archive_entry_free(entry) }
            archive_entry_copy_pathname(entry, "layer.tar")
            archive_entry_set_filetype(entry, FileKind.regular.typeBits)
            archive_entry_set_perm(entry, 0o644)
            guard archive_write_header(compressor, entry) == ARCHIVE_OK else { throw error(compressor) }
        }
        archive_write_set_format_pax(tar)
        archive_write_set_format_option(tar, "pax", "xattrheader", "SCHILY")
        archive_write_set_bytes_in_last_block(tar, 1)
        guard archive_write_open(tar, me, nil, { _, client, buffer, count in
            Unmanaged<LayerTarWriter>.fromOpaque(client!).takeUnretainedValue().writeTar(buffer!, count)
        }, nil) == ARCHIVE_OK else { throw error(tar) }
    }

    deinit {
        archive_write_free(tar)
        if let compressor { archive_write_free(compressor) }
    }

    /// Writes one entry header.
    func writeHeader(_ entry: OpaquePointer, path: String) throws {
        let rc = archive_write_header(tar, entry)
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN else { throw error(tar, path: path) }
    }

    /// Writes data of the current entry.
    func writeData(_ buffer: UnsafeRawPointer, count: Int, path: String) throws {
        var done = 0
        while done < count {
            let n = archive_write_data(tar, buffer + done, count - done)
            guard n > 0 else { throw error(tar, path: path) }
            done += n
        }
    }

    /// Ends the archive (and the compressed stream) and returns the digests.
    func finish() throws -> LayerDiffResult {
        guard archive_write_close(tar) == ARCHIVE_OK else { throw error(tar) }
        let diffID = sha256String(tarHasher.finalize())
        guard let compressor else {
            return LayerDiffResult(diffID: diffID, uncompressedSize: tarSize, compressedDigest: nil, compressedSize: nil)
        }
        guard archive_write_close(compressor) == ARCHIVE_OK else { throw error(compressor) }
        return LayerDiffResult(diffID: diffID, uncompressedSize: tarSize,
                               compressedDigest: sha256String(outHasher.finalize()), compressedSize: outSize)
    }

    private func writeTar(_ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        tarHasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        tarSize += Int64(count)
        guard let compressor else { return writeOut(buffer, count) }
        var done = 0
        while done < count {
            let n = archive_write_data(compressor, buffer + done, count - done)
            if n <= 0 {
                failure = failure ?? error(compressor)
                return -1
            }
            done += n
        }
        return count
    }

    private func writeOut(_ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        if compressor != nil {
            outHasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
            outSize += Int64(count)
        }
        var done = 0
        while done < count {
            let n = write(fd, buffer + done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = .system(operation: "write layer", path: "fd \(fd)", errno: errno)
                return -1
            }
            done += n
        }
        return count
    }

    private func error(_ archive: OpaquePointer, path: String? = nil) -> LayerError {
        if let failure { return failure }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "cannot write the layer"
        return .archive(entry: path, message: message)
    }
}
