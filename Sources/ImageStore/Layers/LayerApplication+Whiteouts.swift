// Whiteouts and opaque markers: overlay whiteouts in overlay mode, real
// deletions in flattened mode.
import CArchive
import Glibc

extension LayerApplication {
    /// Applies `.wh.<name>` (delete `name` below) or `.wh..wh..opq` (hide the
    /// directory's lower contents). Other `.wh..wh.` names (AUFS metadata) are ignored.
    func applyWhiteout(_ components: [NameBytes], entry: OpaquePointer, shown: String) throws {
        let marker = components.last!
        let directory = Array(components.dropLast())
        if marker == Array(opaqueMarker.utf8) {
            try applyOpaque(directory, shown: shown)
            return
        }
        if marker.hasBytePrefix(whiteoutPrefix + whiteoutPrefix) { return }
        let target = Array(marker.dropFirst(whiteoutPrefix.utf8.count))
        guard !target.isEmpty, target != [46], target != [46, 46] else {
            throw LayerError.entryEscapesRoot(entry: shown)
        }
        let targetShown = NameBytes.joined(directory + [target]).display
        if root.overlay {
            guard let (parent, _) = try root.resolveDirectory(directory, entry: shown, create: true) else { return }
            try LayerFS.removeTree(parent.fd, target, path: targetShown)
            guard target.withCName({ mknodat(parent.fd, $0, FileKind.charDevice.typeBits, 0) }) == 0 else {
                throw LayerError.system(operation: "mknod whiteout", path: targetShown, errno: errno)
            }
            let uid = uid_t(truncatingIfNeeded: archive_entry_uid(entry))
            let gid = gid_t(truncatingIfNeeded: archive_entry_gid(entry))
            guard target.withCName({ fchownat(parent.fd, $0, uid, gid, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                throw LayerError.system(operation: "lchown", path: targetShown, errno: errno)
            }
        } else {
            guard let (parent, _) = try root.resolveDirectory(directory, entry: shown, create: false) else { return }
            try LayerFS.removeTree(parent.fd, target, path: targetShown)
        }
    }

    /// Overlay: marks the directory opaque. Flattened: removes everything in it
    /// that this layer did not write itself (the marker may follow siblings).
    private func applyOpaque(_ directory: [NameBytes], shown: String) throws {
        let directoryShown = directory.isEmpty ? "." : NameBytes.joined(directory).display
        if root.overlay {
            guard let (dir, _) = try root.resolveDirectory(directory, entry: shown, create: true) else { return }
            let code = LayerFS.setXattr(dir.fd, [46], key: overlayOpaqueXattr, value: Array("y".utf8))
            guard code == 0 else { throw LayerError.system(operation: "set \(overlayOpaqueXattr)", path: directoryShown, errno: code) }
        } else {
            guard let (dir, path) = try root.resolveDirectory(directory, entry: shown, create: false) else { return }
            try purgeLower(dir, path: path)
        }
    }

    private func purgeLower(_ dir: DirHandle, path: [NameBytes]) throws {
        for child in try LayerFS.list(dir.fd, path: NameBytes.joined(path).display) {
            let childPath = path + [child]
            let shown = NameBytes.joined(childPath).display
            if root.written.contains(NameBytes.joined(childPath)) {
                if try LayerFS.stat(dir.fd, child, path: shown)?.kind == .directory {
                    try purgeLower(try LayerFS.openDirectory(dir.fd, child, path: shown), path: childPath)
                }
            } else {
                try LayerFS.removeTree(dir.fd, child, path: shown)
            }
        }
    }
}
