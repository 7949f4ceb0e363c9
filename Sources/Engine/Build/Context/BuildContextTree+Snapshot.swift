import Foundation
import Glibc

extension BuildContextTree {
    /// Makes a build's own view of the tree in the empty directory `target`: directories made
    /// afresh (owner, mode, mtime), everything else hard-linked. Later syncs replace files in the
    /// tree by rename, so the view keeps the content it was made with, and the daemon-side inodes
    /// the index's digests are keyed on.
    func snapshot(_ index: BuildContextIndex, into target: String) throws {
        for item in index.items {
            let entry = item.entry
            let path = target + "/" + entry.path
            let result = entry.type == .dir ? mkdir(path, 0o700) : link(tree + "/" + entry.path, path)
            guard result == 0 else {
                throw BuildContextError.system(operation: entry.type == .dir ? "mkdir" : "link", path: path, errno: errno)
            }
        }
        for item in index.items.reversed() where item.entry.type == .dir {
            let entry = item.entry
            let path = target + "/" + entry.path
            guard lchown(path, entry.uid, entry.gid) == 0, chmod(path, mode_t(entry.mode)) == 0 else {
                throw BuildContextError.system(operation: "chown/chmod", path: path, errno: errno)
            }
            try Self.setTimes(path, entry.mtime)
        }
    }
}
