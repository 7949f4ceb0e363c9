// Hard links: to an entry of this layer or of the tree below, resolved inside the root.
import Glibc

extension LayerApplication {
    /// Creates `name` in `parent` as a hard link to `target` (a layer-relative
    /// name). The target is resolved like any entry path, so one that escapes
    /// refuses the entry. In overlay mode a target that only a lower snapshot
    /// has is first copied up into this snapshot, then linked.
    func link(_ name: NameBytes, in parent: DirHandle, to target: NameBytes, shown: String) throws {
        let targetComponents = try LayerRoot.components(of: target, entry: shown)
        guard let targetName = targetComponents.last else { throw LayerError.entryEscapesRoot(entry: shown) }
        let missing = LayerError.hardLinkTargetMissing(entry: shown, target: target.display)
        guard let (targetParent, targetPath) = try root.resolveDirectory(
            Array(targetComponents.dropLast()), entry: shown, create: root.overlay) else { throw missing }
        let targetShown = NameBytes.joined(targetPath + [targetName]).display
        var targetStat = try LayerFS.stat(targetParent.fd, targetName, path: targetShown)
        if targetStat?.isWhiteout == true && root.overlay { throw missing }
        if targetStat == nil, root.overlay, let hit = try root.lowerLookup(targetPath, targetName) {
            try copyUp(targetName, from: hit.parent, stat: hit.stat, to: targetParent, shown: targetShown)
            targetStat = hit.stat
        }
        guard let targetStat else { throw missing }
        guard targetStat.kind != .directory else {
            throw LayerError.system(operation: "link", path: shown, errno: EPERM)
        }
        if let existing = try LayerFS.stat(parent.fd, name, path: shown) {
            if existing.device == targetStat.device && existing.inode == targetStat.inode { return }
            try LayerFS.removeTree(parent.fd, name, path: shown)
        }
        let rc = targetName.withCName { from in name.withCName { linkat(targetParent.fd, from, parent.fd, $0, 0) } }
        guard rc == 0 else { throw LayerError.system(operation: "link", path: shown, errno: errno) }
    }

    /// Copies a lower snapshot's file (content, owner, mode, xattrs, times) into this snapshot.
    private func copyUp(_ name: NameBytes, from lowerParent: DirHandle, stat: FileStat, to parent: DirHandle, shown: String) throws {
        switch stat.kind {
        case .regular:
            let source = name.withCName { openat(lowerParent.fd, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
            guard source >= 0 else { throw LayerError.system(operation: "open lower", path: shown, errno: errno) }
            defer { close(source) }
            let destination = name.withCName { openat(parent.fd, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
            guard destination >= 0 else { throw LayerError.system(operation: "copy up", path: shown, errno: errno) }
            defer { close(destination) }
            var buffer = [UInt8](repeating: 0, count: 128 * 1024)
            var offset: Int64 = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { LayerFS.readFully(source, $0.baseAddress!, $0.count) }
                guard n >= 0 else { throw LayerError.system(operation: "read lower", path: shown, errno: errno) }
                if n == 0 { break }
                guard buffer.withUnsafeBytes({ LayerFS.writeFully(destination, $0.baseAddress!, n, at: offset) }) else {
                    throw LayerError.system(operation: "copy up", path: shown, errno: errno)
                }
                offset += Int64(n)
            }
        case .symlink:
            let target = try LayerFS.readLink(lowerParent.fd, name, path: shown)
            guard target.withCName({ t in name.withCName { symlinkat(t, parent.fd, $0) } }) == 0 else {
                throw LayerError.system(operation: "copy up", path: shown, errno: errno)
            }
        case .charDevice, .blockDevice, .fifo:
            guard name.withCName({ mknodat(parent.fd, $0, stat.kind.typeBits | stat.permissions, dev_t(stat.rdev)) }) == 0 else {
                throw LayerError.system(operation: "copy up", path: shown, errno: errno)
            }
        case .directory, .socket:
            throw LayerError.unsupportedEntryType(entry: shown, type: stat.kind.typeBits)
        }
        guard name.withCName({ fchownat(parent.fd, $0, stat.uid, stat.gid, AT_SYMLINK_NOFOLLOW) }) == 0,
              stat.kind == .symlink || name.withCName({ fchmodat(parent.fd, $0, stat.permissions, 0) }) == 0 else {
            throw LayerError.system(operation: "copy up metadata", path: shown, errno: errno)
        }
        for (key, value) in try LayerFS.xattrs(lowerParent.fd, name, path: shown) where !key.hasPrefix("trusted.overlay.") {
            _ = LayerFS.setXattr(parent.fd, name, key: key, value: value)
        }
        try Self.setTimes(parent.fd, name, stat.atime, stat.mtime, shown: shown)
    }
}
