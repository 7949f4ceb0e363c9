// Where a save writes: a directory (an OCI layout) or a tar file. Both write under a temporary name
// next to the target and rename it into place when complete, so a failed save leaves no target.
import CArchive
import Glibc
import OCI

/// The output of a save: files by name (always `a/b/c`, built by Berth), blobs streamed from the store.
protocol ExportSink: AnyObject {
    /// Writes file `name` with `bytes`.
    func addFile(_ name: String, bytes: [UInt8]) throws
    /// Streams blob `reader` into file `name`.
    func addBlob(_ name: String, reader: ContentReader) throws
    /// Publishes the output at its final path.
    func finish() throws
    /// Removes the partial output.
    func abort()
}

/// Writes into a temp directory beside `target`, renamed to `target` by `finish`.
final class DirectorySink: ExportSink {
    let target: String
    let staging: String
    private var directories: Set<String> = []

    init(target: String) throws {
        self.target = target
        let parent = StoreFS.parentOf(target)
        let base = String(target.split(separator: "/").last ?? "layout")
        staging = try TransferFS.makeTempDirectory(in: parent, prefix: ".\(base).saving")
        _ = chmod(staging, 0o755)
    }

    func addFile(_ name: String, bytes: [UInt8]) throws {
        let path = try prepare(name)
        try StoreFS.writeFile(path, bytes)
    }

    func addBlob(_ name: String, reader: ContentReader) throws {
        let path = try prepare(name)
        let fd = try StoreFS.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        try stream(reader) { try StoreFS.writeAll(fd, $0, path: path) }
        try StoreFS.fsync(fd, path: path)
    }

    func finish() throws {
        var st = stat()
        if lstat(target, &st) == 0 {
            // Only an empty directory may be replaced.
            guard (st.st_mode & S_IFMT) == S_IFDIR, rmdir(target) == 0 else { throw TransferError.destinationExists(path: target) }
        }
        try StoreFS.rename(staging, target)
    }

    func abort() { try? StoreFS.removeTree(staging) }

    private func prepare(_ name: String) throws -> String {
        let parts = name.split(separator: "/")
        var dir = staging
        for part in parts.dropLast() {
            dir += "/" + part
            if directories.insert(dir).inserted { try StoreFS.makeDirectories(dir, mode: 0o755) }
        }
        return staging + "/" + name
    }
}

/// Writes a PAX tar to a temp file beside `target`, renamed to `target` by `finish`.
final class TarSink: ExportSink {
    let target: String
    let staging: String
    private let fd: Int32
    private let archive: OpaquePointer
    private var directories: Set<String> = []
    private var closed = false

    init(target: String) throws {
        self.target = target
        staging = target + ".partial-" + StoreFS.randomHex(6)
        fd = try StoreFS.open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        archive = archive_write_new()
        archive_write_set_format_pax_restricted(archive)
        guard archive_write_open_fd(archive, fd) == ARCHIVE_OK else { throw error("open") }
    }

    deinit {
        archive_write_free(archive)
        close(fd)
    }

    func addFile(_ name: String, bytes: [UInt8]) throws {
        try header(name, size: Int64(bytes.count))
        try bytes.withUnsafeBytes { try write($0, name: name) }
    }

    func addBlob(_ name: String, reader: ContentReader) throws {
        try header(name, size: reader.size)
        try stream(reader) { try write($0, name: name) }
    }

    func finish() throws {
        guard archive_write_close(archive) == ARCHIVE_OK else { throw error("close") }
        closed = true
        try StoreFS.fsync(fd, path: staging)
        try StoreFS.rename(staging, target)
    }

    func abort() { unlink(staging) }

    private func header(_ name: String, size: Int64) throws {
        let parts = name.split(separator: "/")
        var dir = ""
        for part in parts.dropLast() {
            dir += (dir.isEmpty ? "" : "/") + part
            if directories.insert(dir).inserted { try entry(dir + "/", type: UInt32(Glibc.S_IFDIR), mode: 0o755, size: 0) }
        }
        try entry(name, type: UInt32(Glibc.S_IFREG), mode: 0o644, size: size)
    }

    private func entry(_ name: String, type: UInt32, mode: mode_t, size: Int64) throws {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_copy_pathname(entry, name)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, 0, 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw error(name) }
    }

    private func write(_ buffer: UnsafeRawBufferPointer, name: String) throws {
        guard buffer.count > 0 else { return }
        guard archive_write_data(archive, buffer.baseAddress, buffer.count) == buffer.count else { throw error(name) }
    }

    private func error(_ what: String) -> TransferError {
        .archive(path: target, message: "\(what): " + (archive_error_string(archive).map { String(cString: $0) } ?? "write failed"))
    }
}

/// Feeds blob `reader` to `body` in chunks of 1 MiB.
private func stream(_ reader: ContentReader, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var offset: Int64 = 0
    while true {
        let n = try reader.read(at: offset, into: buffer)
        if n == 0 { break }
        try body(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        offset += Int64(n)
    }
    guard offset == reader.size else { throw ContentError.sizeMismatch(digest: reader.digest, expected: reader.size, actual: offset) }
}
