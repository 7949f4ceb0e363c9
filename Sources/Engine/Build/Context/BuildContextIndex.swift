import Build
import DockerAPI
import Foundation
import Glibc

/// What berthd knows of one synced build context (`<key>/index.json`): every entry with the
/// client's metadata it was received with, and for regular files the SHA-256 of the bytes received
/// and the daemon-side inode they were written to. Without an index the tree is not trusted.
struct BuildContextIndex: Codable, Sendable, Equatable {
    /// One entry of the synced copy.
    struct Item: Codable, Sendable, Equatable {
        /// The client's metadata.
        var entry: BuildContextEntry
        /// Hex SHA-256 of a regular file's content.
        var digest: String?
        /// The inode of the file in the daemon's tree (files are replaced, never rewritten).
        var localInode: UInt64?
        /// Its mtime there (nanoseconds), as the file system stored it.
        var localMtime: Int64?
    }

    /// Entries in listing order (parents first).
    var items: [Item]

    /// Bytes of the regular files.
    var bytes: Int64 { items.reduce(0) { $0 + ($1.entry.type == .file ? $1.entry.size : 0) } }

    /// Items by path.
    func byPath() -> [String: Item] {
        Dictionary(items.map { ($0.entry.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The regular files of `entries` whose content this index lacks (new, or metadata changed).
    func needs(_ entries: [BuildContextEntry]) -> [String] {
        let known = byPath()
        return entries.compactMap { entry in
            guard entry.type == .file else { return nil }
            if let item = known[entry.path], item.entry.sameMetadata(as: entry), item.digest != nil { return nil }
            return entry.path
        }
    }

    /// The known content digests, keyed on the daemon-side files (hard links share them).
    var digests: ContextDigests {
        var map: [ContextDigests.FileKey: String] = [:]
        for item in items {
            guard item.entry.type == .file, let digest = item.digest, let inode = item.localInode, let mtime = item.localMtime else { continue }
            map[ContextDigests.FileKey(inode: inode, size: item.entry.size, mtime: mtime)] = digest
        }
        return ContextDigests(map)
    }

    /// Reads `path`; nil when it is missing or unreadable (an untrusted tree).
    static func load(_ path: String) -> BuildContextIndex? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(BuildContextIndex.self, from: data)
    }

    /// Writes to `path` atomically (a temporary file renamed over it).
    func save(_ path: String) throws {
        let temporary = path + ".tmp"
        let data = try JSONEncoder().encode(self)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw BuildContextError.system(operation: "create", path: temporary, errno: errno)
        }
        guard rename(temporary, path) == 0 else { throw BuildContextError.system(operation: "rename", path: path, errno: errno) }
    }
}

/// Why a synced context cannot be used; rendered once by the API.
enum BuildContextError: Error, Sendable, CustomStringConvertible {
    /// The listing or the upload is malformed (a bad path, an entry under a non-directory…).
    case invalid(String)
    /// The daemon lacks files the upload does not carry: the client syncs again.
    case stale([String])
    /// A file-system call failed.
    case system(operation: String, path: String, errno: Int32)

    var description: String {
        switch self {
        case .invalid(let text): "invalid build context: \(text)"
        case .stale(let paths): "the synced build context changed; missing: \(paths.prefix(5).joined(separator: ", "))"
        case .system(let op, let path, let code): "\(op) \(path): \(String(cString: strerror(code)))"
        }
    }
}
