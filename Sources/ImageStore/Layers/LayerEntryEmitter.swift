// Turns one filesystem object into one tar entry: numeric owners, no user or
// group names, no atime/ctime, xattrs sorted, mtimes clamped to
// SOURCE_DATE_EPOCH, hard links within the layer kept as links.
import CArchive
import Glibc

/// Writes entries for a differ walk; remembers inodes already written for hard links.
final class LayerEntryEmitter {
    private let writer: LayerTarWriter
    private let epoch: Int64?
    private let overlayUpper: Bool
    private var linked: [[UInt64]: NameBytes] = [:]

    init(writer: LayerTarWriter, sourceDateEpoch: Int64?, overlayUpper: Bool) {
        self.writer = writer
        self.epoch = sourceDateEpoch
        self.overlayUpper = overlayUpper
    }

    /// Writes the object `name` of `parent` (described by `stat`) as `path`.
    func emit(_ parent: DirHandle, _ name: NameBytes, path: NameBytes, stat: FileStat) throws {
        let shown = path.display
        let entry = archive_entry_new()!
        defer { archive_entry_free(entry) }
        setName(entry, stat.kind == .directory ? path + [UInt8(ascii: "/")] : path, archive_entry_update_pathname_utf8, archive_entry_copy_pathname)
        archive_entry_set_filetype(entry, stat.kind.typeBits)
        archive_entry_set_perm(entry, stat.permissions)
        archive_entry_set_uid(entry, la_int64_t(stat.uid))
        archive_entry_set_gid(entry, la_int64_t(stat.gid))
        let mtime = clamp(stat.mtime)
        archive_entry_set_mtime(entry, mtime.tv_sec, mtime.tv_nsec)
        for (key, value) in try LayerFS.xattrs(parent.fd, name, path: shown) {
            if overlayUpper && (key == "trusted.overlay.redirect" || key == "trusted.overlay.metacopy") {
                throw LayerError.unsupportedOverlayFeature(path: shown, xattr: key)
            }
            if key.hasPrefix("trusted.overlay.") || key == "security.selinux" { continue }
            value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, key, $0.baseAddress, $0.count) }
        }
        switch stat.kind {
        case .symlink:
            let target = try LayerFS.readLink(parent.fd, name, path: shown)
            setName(entry, target, archive_entry_update_symlink_utf8, archive_entry_copy_symlink)
        case .charDevice, .blockDevice:
            archive_entry_set_rdev(entry, dev_t(stat.rdev))
        case .regular:
            let key = [stat.device, stat.inode]
            if stat.links > 1, let first = linked[key] {
                setName(entry, first, archive_entry_update_hardlink_utf8, archive_entry_copy_hardlink)
                archive_entry_set_size(entry, 0)
                return try writer.writeHeader(entry, path: shown)
            }
            if stat.links > 1 { linked[key] = path }
            try writeFile(entry, parent, name, size: stat.size, shown: shown)
            return
        default:
            break
        }
        try writer.writeHeader(entry, path: shown)
    }

    /// Writes a whiteout (or opaque marker) entry named `path`: an empty file, owned by root.
    func emitWhiteout(path: NameBytes) throws {
        let entry = archive_entry_new()!
        defer { archive_entry_free(entry) }
        setName(entry, path, archive_entry_update_pathname_utf8, archive_entry_copy_pathname)
        archive_entry_set_filetype(entry, FileKind.regular.typeBits)
        archive_entry_set_perm(entry, 0)
        archive_entry_set_size(entry, 0)
        archive_entry_set_mtime(entry, time_t(epoch ?? 0), 0)
        try writer.writeHeader(entry, path: path.display)
    }

    private func writeFile(_ entry: OpaquePointer, _ parent: DirHandle, _ name: NameBytes, size: Int64, shown: String) throws {
        let fd = name.withCName { openat(parent.fd, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw LayerError.system(operation: "open", path: shown, errno: errno) }
        defer { close(fd) }
        archive_entry_set_size(entry, la_int64_t(size))
        try writer.writeHeader(entry, path: shown)
        let chunk = 128 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var left = size
        while left > 0 {
            let want = Int(min(Int64(chunk), left))
            var n = LayerFS.readFully(fd, buffer, want)
            guard n >= 0 else { throw LayerError.system(operation: "read", path: shown, errno: errno) }
            if n == 0 {  // the file shrank while being read: keep the header's promise with zeros
                buffer.initializeMemory(as: UInt8.self, repeating: 0, count: want)
                n = want
            }
            try writer.writeData(buffer, count: n, path: shown)
            left -= Int64(n)
        }
    }

    private func clamp(_ time: timespec) -> timespec {
        guard let epoch, time.tv_sec > epoch || (time.tv_sec == epoch && time.tv_nsec > 0) else { return time }
        return timespec(tv_sec: time_t(epoch), tv_nsec: 0)
    }

    /// Stores a name as UTF-8 when it is valid UTF-8, else as raw bytes.
    private func setName(_ entry: OpaquePointer, _ bytes: NameBytes,
                         _ utf8: (OpaquePointer?, UnsafePointer<CChar>?) -> Int32,
                         _ raw: (OpaquePointer?, UnsafePointer<CChar>?) -> Void) {
        bytes.withCName { name in
            if String(validating: bytes, as: UTF8.self) == nil || utf8(entry, name) == 0 { raw(entry, name) }
        }
    }
}
