// The directory a layer is applied into, and the only way entries reach it.
//
// Paths are never joined as strings. A name is split into components, each
// component is looked up with fstatat(AT_SYMLINK_NOFOLLOW) in the descriptor of
// its parent and descended with openat(O_DIRECTORY | O_NOFOLLOW). A symlink on
// the way is followed only when its target is relative and stays inside the
// root ("lib -> usr/lib"); an absolute target or one that climbs above the root
// refuses the entry (`LayerError.entryEscapesRoot`), as do names that are
// absolute or climb out themselves. In overlay mode the merged view of the
// lower snapshots is consulted the same way, so a symlink planted by a lower
// layer is caught too.
import Glibc

/// A root directory plus, in overlay mode, the lower snapshots beneath it.
final class LayerRoot {
    let root: DirHandle
    /// Lower snapshot roots, topmost first (overlay mode only).
    let lowers: [DirHandle]
    /// Whiteouts become overlay whiteouts (char 0:0, opaque xattr) instead of deletions.
    let overlay: Bool
    /// Resolved paths created or written by this layer (flattened opaque handling).
    var written: Set<NameBytes> = []
    /// Directory times to set after all entries, in order.
    var directoryTimes: [(path: [NameBytes], atime: timespec, mtime: timespec)] = []
    /// The directories of the last walk, for as long as it went through real
    /// directories only (no symlink, no ".."): the next walk reuses the longest
    /// common prefix instead of opening it again (entries come grouped by
    /// directory). Only creating things keeps it valid; `forgetWalks()` must be
    /// called before anything is removed, replaced or made opaque.
    private var walkCache: [(component: NameBytes, dir: DirHandle, lowerHidden: Bool)] = []

    init(path: String, lowerDirs: [String], overlay: Bool) throws {
        func openRoot(_ path: String) throws -> DirHandle {
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw LayerError.system(operation: "open", path: path, errno: errno) }
            return DirHandle(fd: fd)
        }
        root = try openRoot(path)
        lowers = try lowerDirs.map(openRoot)
        self.overlay = overlay
    }

    /// Splits a tar name into clean components: "./" and "." vanish, ".." is
    /// resolved lexically; absolute names and names climbing out are refused.
    static func components(of name: NameBytes, entry: String) throws -> [NameBytes] {
        if name.first == UInt8(ascii: "/") { throw LayerError.entryEscapesRoot(entry: entry) }
        var out: [NameBytes] = []
        for part in name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual([46]) { continue }
            if part.elementsEqual([46, 46]) {
                if out.isEmpty { throw LayerError.entryEscapesRoot(entry: entry) }
                out.removeLast()
                continue
            }
            out.append(Array(part))
        }
        return out
    }

    /// Resolves the directory `components` inside the root and opens it.
    /// Returns nil when a component is missing and `create` is false; with
    /// `create`, missing directories are made (copying a lower directory's
    /// metadata in overlay mode). Returns the resolved (symlink-free) path.
    func resolveDirectory(_ components: [NameBytes], entry: String, create: Bool) throws -> (dir: DirHandle, path: [NameBytes])? {
        var reused = 0
        while reused < walkCache.count, reused < components.count, walkCache[reused].component == components[reused] { reused += 1 }
        var pending = Array(components[reused...].reversed())
        var stack: [DirHandle] = [root]
        var path = Array(components[..<reused])
        var lowerHidden: [Bool] = [false]
        for step in walkCache[..<reused] {
            stack.append(step.dir)
            lowerHidden.append(step.lowerHidden)
        }
        // The walk stays cacheable while it only descends into directories named by `components`.
        var plain = true
        var steps = Array(walkCache[..<reused])
        func descended() {
            if plain { steps.append((path.last!, stack.last!, lowerHidden.last!)) }
        }
        defer { walkCache = steps }
        var hops = 0
        func follow(_ target: NameBytes) throws {
            plain = false
            hops += 1
            if hops > 40 { throw LayerError.system(operation: "resolve", path: entry, errno: ELOOP) }
            if target.first == UInt8(ascii: "/") || target.isEmpty { throw LayerError.entryEscapesRoot(entry: entry) }
            pending.append(contentsOf: target.split(separator: UInt8(ascii: "/")).map(Array.init).reversed())
        }
        while let component = pending.popLast() {
            if component == [46] { continue }
            if component == [46, 46] {
                plain = false
                if path.isEmpty { throw LayerError.entryEscapesRoot(entry: entry) }
                path.removeLast(); stack.removeLast(); lowerHidden.removeLast()
                continue
            }
            let current = stack.last!
            let parentPath = path
            var shown: String { NameBytes.joined(parentPath + [component]).display }
            let upper = try LayerFS.stat(current.fd, component, path: shown)
            if let upper, !(overlay && upper.isWhiteout) {
                switch upper.kind {
                case .directory:
                    let dir = try LayerFS.openDirectory(current.fd, component, path: shown)
                    stack.append(dir); path.append(component)
                    lowerHidden.append(lowerHidden.last! || (overlay && LayerFS.isOpaque(dir.fd, [46])))
                    descended()
                case .symlink:
                    try follow(try LayerFS.readLink(current.fd, component, path: shown))
                default:
                    throw LayerError.notADirectory(entry: entry, path: shown)
                }
                continue
            }
            if overlay, upper == nil, !lowerHidden.last!, let hit = try lowerLookup(path, component) {
                switch hit.stat.kind {
                case .symlink:
                    try follow(try LayerFS.readLink(hit.parent.fd, component, path: shown))
                    continue
                case .directory:
                    guard create else { return nil }
                    let dir = try makeDirectory(in: current, component, path: path + [component], like: (hit.parent, hit.stat))
                    stack.append(dir); path.append(component); lowerHidden.append(false)
                    descended()
                    continue
                default:
                    throw LayerError.notADirectory(entry: entry, path: shown)
                }
            }
            guard create else { return nil }
            if upper != nil {  // an upper whiteout
                plain = false
                try LayerFS.removeTree(current.fd, component, path: shown)
            }
            let dir = try makeDirectory(in: current, component, path: path + [component], like: nil)
            if upper != nil, LayerFS.setXattr(dir.fd, [46], key: overlayOpaqueXattr, value: Array("y".utf8)) != 0 {
                throw LayerError.system(operation: "set \(overlayOpaqueXattr)", path: shown, errno: errno)
            }
            stack.append(dir); path.append(component); lowerHidden.append(upper != nil || lowerHidden.last!)
            descended()
        }
        return (stack.last!, path)
    }

    /// Drops the cached walk; call before an entry removes, replaces or hides anything.
    func forgetWalks() { walkCache.removeAll() }

    /// The entry `name` of directory `path` as the lower snapshots show it:
    /// the topmost lower that has it, unless a whiteout, a non-directory or an
    /// opaque directory above hides it.
    func lowerLookup(_ path: [NameBytes], _ name: NameBytes) throws -> (parent: DirHandle, stat: FileStat)? {
        for lower in lowers {
            var current = lower
            var opaqueSeen = false
            var absent = false
            for component in path {
                guard let st = try LayerFS.stat(current.fd, component, path: "") else { absent = true; break }
                guard st.kind == .directory else { return nil }
                current = try LayerFS.openDirectory(current.fd, component, path: "")
                if LayerFS.isOpaque(current.fd, [46]) { opaqueSeen = true }
            }
            if absent {
                if opaqueSeen { return nil }
                continue
            }
            if let st = try LayerFS.stat(current.fd, name, path: "") {
                return st.isWhiteout ? nil : (current, st)
            }
            if opaqueSeen { return nil }
        }
        return nil
    }

    /// Makes directory `name` in `parent`: owned by root, 0755, or with the
    /// owner, mode, xattrs and times of a lower directory being copied up.
    private func makeDirectory(in parent: DirHandle, _ name: NameBytes, path: [NameBytes], like lower: (DirHandle, FileStat)?) throws -> DirHandle {
        let shown = NameBytes.joined(path).display
        guard name.withCName({ mkdirat(parent.fd, $0, 0o700) }) == 0 else {
            throw LayerError.system(operation: "mkdir", path: shown, errno: errno)
        }
        let dir = try LayerFS.openDirectory(parent.fd, name, path: shown)
        let (uid, gid, mode) = lower.map { ($0.1.uid, $0.1.gid, $0.1.permissions) } ?? (0, 0, 0o755)
        guard fchown(dir.fd, uid, gid) == 0, fchmod(dir.fd, mode) == 0 else {
            throw LayerError.system(operation: "chown/chmod", path: shown, errno: errno)
        }
        if let (lowerParent, st) = lower {
            for (key, value) in try LayerFS.xattrs(lowerParent.fd, name, path: shown) where !key.hasPrefix("trusted.overlay.") {
                _ = LayerFS.setXattr(dir.fd, [46], key: key, value: value)
            }
            directoryTimes.append((path, st.atime, st.mtime))
        }
        written.insert(NameBytes.joined(path))
        return dir
    }
}
