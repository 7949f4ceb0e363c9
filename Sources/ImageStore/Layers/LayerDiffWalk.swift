// The two tree walks of the differ: an overlay upper directory, or a tree
// against its lower tree. Both are depth-first, each directory's entries
// sorted bytewise by the name they get in the tar.
import Glibc

/// One differ walk; everything is read through directory descriptors.
struct LayerDiffWalk {
    let emitter: LayerEntryEmitter

    private enum Item {
        case object(name: NameBytes, stat: FileStat, changed: Bool, lower: FileStat?)
        case whiteout
    }

    /// Emits everything in an overlay upper directory.
    func upper(_ dir: DirHandle, path: [NameBytes]) throws {
        var items: [(tarName: NameBytes, item: Item)] = []
        for name in try LayerFS.list(dir.fd, path: shown(path)) {
            guard let stat = try LayerFS.stat(dir.fd, name, path: shown(path + [name])), stat.kind != .socket else { continue }
            if stat.isWhiteout {
                items.append((Array(whiteoutPrefix.utf8) + name, .whiteout))
            } else {
                items.append((name, .object(name: name, stat: stat, changed: true, lower: nil)))
            }
        }
        for (tarName, item) in items.sorted(by: { $0.tarName.lexicographicallyPrecedes($1.tarName) }) {
            let tarPath = path + [tarName]
            guard case .object(let name, let stat, _, _) = item else {
                try emitter.emitWhiteout(path: NameBytes.joined(tarPath))
                continue
            }
            try emitter.emit(dir, name, path: NameBytes.joined(tarPath), stat: stat)
            guard stat.kind == .directory else { continue }
            let child = try LayerFS.openDirectory(dir.fd, name, path: shown(tarPath))
            if LayerFS.isOpaque(child.fd, [46]) {
                try emitter.emitWhiteout(path: NameBytes.joined(tarPath + [Array(opaqueMarker.utf8)]))
            }
            try upper(child, path: tarPath)
        }
    }

    /// Emits what differs between `dir` and `lower` (nil: everything in `dir` is new).
    func compare(_ dir: DirHandle, _ lower: DirHandle?, path: [NameBytes]) throws {
        let names = try LayerFS.list(dir.fd, path: shown(path))
        var items: [(tarName: NameBytes, item: Item)] = []
        for name in names {
            guard let stat = try LayerFS.stat(dir.fd, name, path: shown(path + [name])), stat.kind != .socket else { continue }
            let old = try lower.flatMap { try LayerFS.stat($0.fd, name, path: shown(path + [name])) }
            let changed = try old.map { try differs(dir, lower!, name, stat, $0, path: path + [name]) } ?? true
            items.append((name, .object(name: name, stat: stat, changed: changed, lower: old)))
        }
        if let lower {
            let present = Set(names)
            for name in try LayerFS.list(lower.fd, path: shown(path)) where !present.contains(name) {
                items.append((Array(whiteoutPrefix.utf8) + name, .whiteout))
            }
        }
        for (tarName, item) in items.sorted(by: { $0.tarName.lexicographicallyPrecedes($1.tarName) }) {
            let tarPath = path + [tarName]
            guard case .object(let name, let stat, let changed, let old) = item else {
                try emitter.emitWhiteout(path: NameBytes.joined(tarPath))
                continue
            }
            if changed { try emitter.emit(dir, name, path: NameBytes.joined(tarPath), stat: stat) }
            guard stat.kind == .directory else { continue }
            let child = try LayerFS.openDirectory(dir.fd, name, path: shown(tarPath))
            let lowerChild = old?.kind == .directory ? try LayerFS.openDirectory(lower!.fd, name, path: shown(tarPath)) : nil
            try compare(child, lowerChild, path: tarPath)
        }
    }

    /// Whether `name` changed between the lower tree and the new one.
    private func differs(_ dir: DirHandle, _ lower: DirHandle, _ name: NameBytes, _ new: FileStat, _ old: FileStat, path: [NameBytes]) throws -> Bool {
        let where_ = shown(path)
        if new.kind != old.kind || new.permissions != old.permissions || new.uid != old.uid || new.gid != old.gid { return true }
        if new.kind != .directory && new.size != old.size { return true }
        if (new.kind == .charDevice || new.kind == .blockDevice) && new.rdev != old.rdev { return true }
        if new.mtime.tv_sec != old.mtime.tv_sec || new.mtime.tv_nsec != old.mtime.tv_nsec { return true }
        if new.kind == .symlink,
           try LayerFS.readLink(dir.fd, name, path: where_) != LayerFS.readLink(lower.fd, name, path: where_) { return true }
        let newXattrs = try LayerFS.xattrs(dir.fd, name, path: where_)
        let oldXattrs = try LayerFS.xattrs(lower.fd, name, path: where_)
        if !newXattrs.elementsEqual(oldXattrs, by: { $0.key == $1.key && $0.value == $1.value }) { return true }
        // Equal whole-second mtimes may come from a coarse clock or a tar without
        // nanoseconds: only the content can tell then.
        if new.kind == .regular && new.mtime.tv_nsec == 0 {
            return try !sameContent(dir, lower, name, path: where_)
        }
        return false
    }

    private func sameContent(_ dir: DirHandle, _ lower: DirHandle, _ name: NameBytes, path: String) throws -> Bool {
        let a = name.withCName { openat(dir.fd, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        let b = name.withCName { openat(lower.fd, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        defer { if a >= 0 { close(a) }; if b >= 0 { close(b) } }
        guard a >= 0, b >= 0 else { throw LayerError.system(operation: "open", path: path, errno: errno) }
        var left = [UInt8](repeating: 0, count: 64 * 1024)
        var right = left
        while true {
            let n = left.withUnsafeMutableBytes { LayerFS.readFully(a, $0.baseAddress!, $0.count) }
            let m = right.withUnsafeMutableBytes { LayerFS.readFully(b, $0.baseAddress!, $0.count) }
            guard n >= 0, m >= 0 else { throw LayerError.system(operation: "read", path: path, errno: errno) }
            if n != m || left[0..<n] != right[0..<m] { return false }
            if n == 0 { return true }
        }
    }

    private func shown(_ path: [NameBytes]) -> String { path.isEmpty ? "." : NameBytes.joined(path).display }
}
