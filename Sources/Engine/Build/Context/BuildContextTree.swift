import Build
import DockerAPI
import Foundation
import Glibc

/// One synced build context on the daemon's disk: `<directory>/tree` holds the files as the
/// client has them, `<directory>/index.json` what is known of them. Only the key's lock holder
/// calls `apply`. Files in the tree are replaced by rename, never rewritten, so hard links of
/// them (a build's snapshot) keep their content.
struct BuildContextTree: Sendable {
    let directory: String
    var tree: String { directory + "/tree" }
    var indexPath: String { directory + "/index.json" }
    private var staging: String { directory + "/staging" }

    /// The index, when the tree can be trusted.
    func index() -> BuildContextIndex? { BuildContextIndex.load(indexPath) }

    /// Checks a listing: clean relative paths, each once, each under a directory listed before it.
    static func validate(_ entries: [BuildContextEntry]) throws(BuildContextError) {
        var directories: Set<String> = []
        var seen: Set<String> = []
        for entry in entries {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !entry.path.isEmpty, !entry.path.contains("\0"),
                  !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw .invalid("bad path \"\(entry.path)\"")
            }
            guard seen.insert(entry.path).inserted else { throw .invalid("\(entry.path) is listed twice") }
            if parts.count > 1 {
                let parent = parts.dropLast().joined(separator: "/")
                guard directories.contains(parent) else { throw .invalid("\(entry.path) is not under a directory listed before it") }
            }
            guard entry.size >= 0, entry.mode & ~0o7777 == 0 else { throw .invalid("bad size or mode for \(entry.path)") }
            if entry.type == .symlink, entry.link?.isEmpty ?? true { throw .invalid("symlink \(entry.path) has no target") }
            if entry.type == .dir { directories.insert(entry.path) }
        }
    }

    /// Applies an upload read from `reader`: the sent files are received into a staging directory
    /// (hashed on the way); only when all arrived does the tree change (the index is removed first
    /// and written last, so an interrupted update is never trusted). Returns the new index and
    /// whether anything changed. Throws `.stale` before reading any byte when the upload lacks a
    /// file the tree does not have.
    func apply(_ upload: BuildContextUpload, reader: ContextUploadReader) throws -> (BuildContextIndex, changed: Bool) {
        try Self.validate(upload.entries)
        let previous = index()
        if previous == nil { try reset() }
        let old = previous ?? BuildContextIndex(items: [])
        let listed = Dictionary(upload.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        guard Set(upload.sent).count == upload.sent.count,
              upload.sent.allSatisfy({ listed[$0]?.type == .file }) else {
            throw BuildContextError.invalid("the sent files must be regular files of the listing, each once")
        }
        let sent = Set(upload.sent)
        let missing = old.needs(upload.entries).filter { !sent.contains($0) }
        guard missing.isEmpty else { throw BuildContextError.stale(missing) }

        try? FileManager.default.removeItem(atPath: staging)
        guard mkdir(staging, 0o700) == 0 else { throw BuildContextError.system(operation: "mkdir", path: staging, errno: errno) }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var received: [String: (name: String, digest: String, inode: UInt64, mtime: Int64)] = [:]
        for (number, path) in upload.sent.enumerated() {
            let entry = listed[path]!
            let name = staging + "/f\(number)"
            received[path] = try receive(entry, into: name, from: reader)
        }
        guard try reader.atEnd() else { throw BuildContextError.invalid("the upload has bytes after the last file") }
        if previous != nil, received.isEmpty, old.items.map(\.entry) == upload.entries {
            utimensat(AT_FDCWD, indexPath, nil, 0)  // used now (the eviction order)
            return (old, false)
        }

        unlink(indexPath)
        let before = old.byPath()
        for item in old.items.reversed() where listed[item.entry.path]?.type != item.entry.type {
            try? FileManager.default.removeItem(atPath: tree + "/" + item.entry.path)
        }
        var items: [BuildContextIndex.Item] = []
        for (number, entry) in upload.entries.enumerated() {
            let path = tree + "/" + entry.path
            let kept = before[entry.path].flatMap { $0.entry.type == entry.type ? $0 : nil }
            let unchanged = kept.map { $0.entry.sameMetadata(as: entry) } ?? false
            switch entry.type {
            case .file:
                if let file = received[entry.path] {
                    try check(rename(file.name, path), "rename", path)
                    items.append(.init(entry: entry, digest: file.digest, localInode: file.inode, localMtime: file.mtime))
                } else if let kept {
                    items.append(kept)
                }
                continue
            case .dir:
                if kept == nil { try check(mkdir(path, 0o700), "mkdir", path) }
                if !unchanged {
                    try check(lchown(path, entry.uid, entry.gid), "chown", path)
                    try check(chmod(path, mode_t(entry.mode)), "chmod", path)
                }
            case .symlink, .fifo:
                if !unchanged {
                    let temporary = staging + "/n\(number)"
                    if entry.type == .symlink {
                        try check(symlink(entry.link ?? "", temporary), "symlink", path)
                    } else {
                        try check(mkfifo(temporary, 0o600), "mkfifo", path)
                        try check(chmod(temporary, mode_t(entry.mode)), "chmod", path)
                    }
                    try check(lchown(temporary, entry.uid, entry.gid), "chown", path)
                    try Self.setTimes(temporary, entry.mtime)
                    try check(rename(temporary, path), "rename", path)
                }
            }
            items.append(.init(entry: entry))
        }
        for entry in upload.entries.reversed() where entry.type == .dir {
            try Self.setTimes(tree + "/" + entry.path, entry.mtime)
        }
        let index = BuildContextIndex(items: items)
        try index.save(indexPath)
        return (index, true)
    }

    /// Writes one sent file into `name`: its bytes, owner, mode and mtime; its digest and identity.
    private func receive(_ entry: BuildContextEntry, into name: String, from reader: ContextUploadReader) throws
        -> (name: String, digest: String, inode: UInt64, mtime: Int64) {
        let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BuildContextError.system(operation: "create", path: name, errno: errno) }
        defer { close(fd) }
        let digest = try reader.copy(entry.size, to: fd, path: entry.path)
        try check(fchown(fd, entry.uid, entry.gid), "chown", entry.path)
        try check(fchmod(fd, mode_t(entry.mode)), "chmod", entry.path)
        var times = [Self.timespec(entry.mtime), Self.timespec(entry.mtime)]
        try check(futimens(fd, &times), "utimens", entry.path)
        var st = stat()
        try check(fstat(fd, &st), "stat", entry.path)
        let key = ContextDigests.FileKey(st)
        return (name, digest, key.inode, key.mtime)
    }

    /// Empties the tree (an untrusted one, or a first sync).
    private func reset() throws {
        try? FileManager.default.removeItem(atPath: tree)
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
    }

    private func check(_ result: Int32, _ operation: String, _ path: String) throws {
        guard result == 0 else { throw BuildContextError.system(operation: operation, path: path, errno: errno) }
    }

    static func timespec(_ nanoseconds: Int64) -> Glibc.timespec {
        let (seconds, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return rest < 0 ? Glibc.timespec(tv_sec: Int(seconds - 1), tv_nsec: Int(rest + 1_000_000_000))
            : Glibc.timespec(tv_sec: Int(seconds), tv_nsec: Int(rest))
    }

    /// Sets atime and mtime of `path` (not following a symlink) to `nanoseconds`.
    static func setTimes(_ path: String, _ nanoseconds: Int64) throws {
        var times = [timespec(nanoseconds), timespec(nanoseconds)]
        guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw BuildContextError.system(operation: "utimensat", path: path, errno: errno)
        }
    }
}
