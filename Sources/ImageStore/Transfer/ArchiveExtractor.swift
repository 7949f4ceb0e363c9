// Unpacks an image archive (docker-archive, tar of an OCI layout) into a private temp directory
// without ever using a member's name as a path: each regular member becomes `m<N>` in the temp
// directory and is found by its normalized name. Names that climb out (`..`, absolute) are refused,
// links are resolved by name inside the archive, devices and fifos are refused.
import CArchive
import Glibc

/// The regular members of an archive, extracted to a temp directory and looked up by name.
final class ExtractedArchive {
    /// The temp directory holding the members (removed by `remove()`).
    let directory: String
    /// Normalized member name → extracted file.
    private(set) var files: [String: String] = [:]
    /// Normalized member name → normalized name it links to.
    private var links: [String: String] = [:]
    /// Normalized names of directory members.
    private(set) var directories: Set<String> = []

    /// Extracts the archive at `path` (tar, optionally gzip/zstd/xz-compressed) below `tempParent`.
    init(archiveAt path: String, tempParent: String) throws {
        directory = try TransferFS.makeTempDirectory(in: tempParent, prefix: "extract")
        do {
            try extract(path)
            try resolveLinks()
        } catch {
            remove()
            throw error
        }
    }

    /// The extracted file of member `name` (`./a/b` and `a/b` are the same), or nil.
    func file(_ name: String) -> String? {
        guard let key = try? Self.normalize(name, entry: name) else { return nil }
        return files[key]
    }

    /// True when the archive has member `name` (a file or a directory).
    func has(_ name: String) -> Bool {
        guard let key = try? Self.normalize(name, entry: name) else { return false }
        return files[key] != nil || directories.contains(key)
    }

    /// Deletes the temp directory.
    func remove() {
        try? StoreFS.removeTree(directory)
    }

    /// `a/./b/` → `a/b`; refuses absolute names and `..`.
    static func normalize(_ name: String, entry: String) throws(TransferError) -> String {
        if name.hasPrefix("/") { throw TransferError.memberEscapes(entry: entry) }
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { throw TransferError.memberEscapes(entry: entry) }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// The member a symlink at `name` pointing to `target` names, resolved inside the archive.
    static func resolve(_ target: String, from name: String, entry: String) throws(TransferError) -> String {
        if target.hasPrefix("/") { throw TransferError.memberEscapes(entry: entry) }
        var parts = name.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                if parts.isEmpty { throw TransferError.memberEscapes(entry: entry) }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private func extract(_ path: String) throws {
        guard let archive = archive_read_new() else { throw TransferError.archive(path: path, message: "out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            throw TransferError.archive(path: path, message: Self.message(archive))
        }
        var count = 0
        while true {
            var entry: OpaquePointer?
            let rc = archive_read_next_header(archive, &entry)
            if rc == ARCHIVE_EOF { break }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else {
                throw TransferError.archive(path: path, message: Self.message(archive))
            }
            let raw = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let name = try Self.normalize(raw, entry: raw)
            if let hardlink = archive_entry_hardlink(entry) {
                let target = String(cString: hardlink)
                links[name] = try Self.normalize(target, entry: raw)
                continue
            }
            switch archive_entry_filetype(entry) {
            case UInt32(Glibc.S_IFDIR):
                directories.insert(name)
            case UInt32(Glibc.S_IFLNK):
                let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
                links[name] = try Self.resolve(target, from: name, entry: raw)
            case UInt32(Glibc.S_IFREG):
                guard !name.isEmpty else { throw TransferError.memberEscapes(entry: raw) }
                count += 1
                let file = directory + "/m\(count)"
                try copyData(archive, to: file, entry: raw, archivePath: path)
                files[name] = file
                links[name] = nil
            default:
                throw TransferError.unsupportedMember(entry: raw, type: archive_entry_filetype(entry))
            }
        }
    }

    private func copyData(_ archive: OpaquePointer, to file: String, entry: String, archivePath: String) throws {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TransferError.system(operation: "create", path: file, errno: errno) }
        defer { close(fd) }
        guard archive_read_data_into_fd(archive, fd) == ARCHIVE_OK else {
            throw TransferError.archive(path: archivePath, message: "member \"\(entry)\": " + Self.message(archive))
        }
    }

    /// Points each link at the file its chain ends at (at most 16 hops), inside the archive.
    private func resolveLinks() throws {
        for (name, _) in links {
            var current = name
            var hops = 0
            while let next = links[current], files[current] == nil {
                hops += 1
                if hops > 16 { throw TransferError.brokenLink(entry: name) }
                current = next
            }
            // A dangling link is harmless until a manifest names it (then it is a missing member).
            if let file = files[current] { files[name] = file }
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unreadable archive"
    }
}
