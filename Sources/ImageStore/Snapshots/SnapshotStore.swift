import Foundation
import CRuntime
import Glibc
import OCI

/// A writable snapshot being filled (a layer being applied, or a build step's upper layer).
public struct ActiveSnapshot: Sendable, Hashable {
    /// The caller's key, unique among active snapshots.
    public let key: String
    /// The snapshot's own directory (`root/snapshots/active/<hash of key>`).
    public let directory: String
    /// The directory to fill: a layer's files, or an overlay upperdir.
    public let fs: String
    /// An empty directory on the same filesystem, for an overlay workdir.
    public let work: String
    /// The committed snapshot it stacks on, nil for a base layer.
    public let parent: Digest?
    /// The `fs` directories of the parent chain, top first (an overlay's lowerdir list).
    public let lowerDirectories: [String]
}

/// One committed snapshot.
public struct SnapshotInfo: Sendable, Hashable {
    /// Its chain ID (and directory name).
    public let chainID: Digest
    /// The snapshot it stacks on.
    public let parent: Digest?
    /// Its `fs` directory: read-only by contract, shared by every image with this chain.
    public let fs: String
}

/// Unpacked layers keyed by chain ID under `root/snapshots/<hex>/fs`, in containerd's shape:
/// `prepare` an active snapshot, fill it, `commit` it (an atomic rename) under its chain ID.
///
/// Committed snapshots are never handed out writable: they are only used as overlay lower
/// directories or read-only binds, so every image with the same chain shares them.
/// A `final class` holding only paths; the filesystem (rename) makes it safe to share.
public final class SnapshotStore: Sendable {
    /// `root/snapshots`.
    public let directory: String
    /// `root/snapshots/l`: short symlinks to each snapshot's fs, for page-sized overlay options.
    public let linkDirectory: String
    let activeDirectory: String
    let trashDirectory: String

    /// Opens (creating if needed) the snapshots of engine root `root`.
    public init(root: String) throws {
        directory = root + "/snapshots"
        linkDirectory = directory + "/l"
        activeDirectory = directory + "/active"
        trashDirectory = directory + "/trash"
        for dir in [linkDirectory, activeDirectory, trashDirectory] { try StoreFS.makeDirectories(dir, mode: 0o700) }
    }

    /// The directory of committed snapshot `chainID` (present or not).
    public func path(for chainID: Digest) -> String { directory + "/" + chainID.encoded }

    /// The `fs` directory of committed snapshot `chainID` (present or not).
    public func fsPath(for chainID: Digest) -> String { path(for: chainID) + "/fs" }

    /// True when snapshot `chainID` is committed.
    public func exists(chainID: Digest) -> Bool { StoreFS.isDirectory(fsPath(for: chainID)) }

    /// The parent of committed snapshot `chainID`; throws `notFound` when absent.
    public func info(chainID: Digest) throws -> SnapshotInfo {
        guard exists(chainID: chainID) else { throw SnapshotError.notFound(chainID) }
        let parentText = try? String(contentsOfFile: path(for: chainID) + "/parent", encoding: .utf8)
        let parent = parentText.flatMap { try? Digest(parsing: $0) }
        return SnapshotInfo(chainID: chainID, parent: parent, fs: fsPath(for: chainID))
    }

    /// `chainID` and its ancestors, top first; throws `notFound` when one is missing.
    public func chain(of chainID: Digest) throws -> [Digest] {
        var result: [Digest] = []
        var next: Digest? = chainID
        while let current = next {
            result.append(current)
            next = try info(chainID: current).parent
        }
        return result
    }

    /// Every committed snapshot.
    public func list() throws -> [SnapshotInfo] {
        try StoreFS.list(directory).compactMap { name in
            guard name.utf8.count == 64, let digest = try? Digest(parsing: "sha256:" + name) else { return nil }
            return try? info(chainID: digest)
        }.sorted { $0.chainID < $1.chainID }
    }

    /// Creates the active snapshot `key` on top of committed `parent` (nil for a base layer),
    /// with empty `fs` and `work` directories. Nothing is applied: fill `fs`, then `commit`.
    public func prepare(key: String, parent: Digest?) throws -> ActiveSnapshot {
        let lowers = try parent.map { try chain(of: $0).map(fsPath(for:)) } ?? []
        let dir = activePath(key)
        if mkdir(dir, 0o700) != 0 {
            if errno == EEXIST { throw SnapshotError.activeExists(key: key) }
            throw StoreFSError("mkdir", dir)
        }
        do {
            try StoreFS.makeDirectories(dir + "/fs", mode: 0o755)
            try StoreFS.makeDirectories(dir + "/work", mode: 0o700)
            try StoreFS.writeFile(dir + "/key", Array(key.utf8))
            if let parent { try StoreFS.writeFile(dir + "/parent", Array(parent.string.utf8)) }
        } catch {
            try? StoreFS.removeTree(dir)
            throw error
        }
        return ActiveSnapshot(key: key, directory: dir, fs: dir + "/fs", work: dir + "/work", parent: parent, lowerDirectories: lowers)
    }

    /// The active snapshot `key`, if it exists.
    public func active(key: String) throws -> ActiveSnapshot {
        let dir = activePath(key)
        guard StoreFS.isDirectory(dir) else { throw SnapshotError.activeNotFound(key: key) }
        let parentText = try? String(contentsOfFile: dir + "/parent", encoding: .utf8)
        let parent = parentText.flatMap { try? Digest(parsing: $0) }
        let lowers = try parent.map { try chain(of: $0).map(fsPath(for:)) } ?? []
        return ActiveSnapshot(key: key, directory: dir, fs: dir + "/fs", work: dir + "/work", parent: parent, lowerDirectories: lowers)
    }

    /// Keys of every active snapshot.
    public func activeKeys() throws -> [String] {
        try StoreFS.list(activeDirectory).compactMap { name in
            try? String(contentsOfFile: activeDirectory + "/" + name + "/key", encoding: .utf8)
        }.sorted()
    }

    /// Makes active snapshot `key` the committed, immutable snapshot `chainID`: syncs its
    /// files, then renames it into place in one step. If `chainID` is already committed
    /// (another pull won), the active one is discarded and the existing one returned.
    /// `syncFiles` fsyncs the snapshot's own files instead of the whole file system (for a small
    /// tree written while much else is dirty, as a build step's).
    @discardableResult
    public func commit(key: String, as chainID: Digest, syncFiles: Bool = false) throws -> SnapshotInfo {
        let dir = activePath(key)
        guard StoreFS.isDirectory(dir) else { throw SnapshotError.activeNotFound(key: key) }
        if exists(chainID: chainID) {
            try removeActive(key: key)
            return try info(chainID: chainID)
        }
        try StoreFS.removeTree(dir + "/work")
        unlink(dir + "/key")
        let link = try reserveShortLink()
        try StoreFS.writeFile(dir + "/link", Array(link.utf8))
        if syncFiles {
            try StoreFS.fsyncTree(dir)
        } else {
            let rc = berth_store_syncfs(dir)
            if rc != 0 { throw StoreFSError("syncfs", dir, -rc) }
        }
        let target = path(for: chainID)
        if Glibc.rename(dir, target) != 0 {
            let code = errno
            if (code == EEXIST || code == ENOTEMPTY) && exists(chainID: chainID) {
                try discard(dir)
                return try info(chainID: chainID)
            }
            throw StoreFSError("rename", "\(dir) -> \(target)", code)
        }
        try ensureShortLink(for: chainID)
        try StoreFS.fsyncDirectory(directory)
        return try info(chainID: chainID)
    }

    /// Removes active snapshot `key` and its files; an absent key is not an error.
    public func removeActive(key: String) throws {
        let dir = activePath(key)
        if StoreFS.exists(dir) { try discard(dir) }
    }

    /// Removes committed snapshot `chainID`, refusing while another snapshot stacks on it.
    /// It is renamed out of place first, so it never appears half-removed. Returns the bytes freed.
    @discardableResult
    public func remove(chainID: Digest) throws -> Int64 {
        guard exists(chainID: chainID) else { throw SnapshotError.notFound(chainID) }
        if let child = try list().first(where: { $0.parent == chainID }) {
            throw SnapshotError.hasChildren(chainID, child: child.chainID)
        }
        let dir = path(for: chainID)
        let link = try? String(contentsOfFile: dir + "/link", encoding: .utf8)
        let bytes = StoreFS.usage(dir)
        try discard(dir)
        if let link, !link.isEmpty, !link.contains("/") { unlink(linkDirectory + "/" + link) }
        return bytes
    }

    /// Bytes used on disk by committed snapshot `chainID` (its own layer, not its parents).
    public func usage(chainID: Digest) throws -> Int64 {
        guard exists(chainID: chainID) else { throw SnapshotError.notFound(chainID) }
        return StoreFS.usage(fsPath(for: chainID))
    }

    // MARK: internals

    func activePath(_ key: String) -> String {
        activeDirectory + "/" + Digester.digest(of: Array(key.utf8)).encoded
    }

    /// Renames `dir` into trash/ and deletes it there.
    private func discard(_ dir: String) throws {
        let trash = trashDirectory + "/" + StoreFS.randomHex(8)
        try StoreFS.rename(dir, trash)
        try StoreFS.removeTree(trash)
    }
}
