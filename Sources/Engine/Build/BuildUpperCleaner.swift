import CRuntime
import Glibc

/// Removes from a build container's upper directory what only its mounts left there: the empty
/// files and directories the runtime created as mount points (/etc/hosts, RUN --mount targets)
/// where the image had none, and the parents copied up only to hold them — as docker keeps
/// them out of commits with its init layer.
struct BuildUpperCleaner {
    /// The container's upper directory.
    let upper: String
    /// The image's layer directories, top first.
    let lowers: [String]

    func removeMountPoints(_ targets: [String]) {
        for target in targets {
            var parts = target.split(separator: "/").map(String.init)
            guard !parts.isEmpty else { continue }
            let path = upper + "/" + parts.joined(separator: "/")
            var st = stat()
            guard lstat(path, &st) == 0, !inLower(parts) else { continue }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFREG && st.st_size == 0 { unlink(path) } else if kind == S_IFDIR { rmdir(path) } else { continue }
            // Parents copied up (or made) only for the mount point go too, when nothing else is in them.
            parts.removeLast()
            while !parts.isEmpty {
                let parent = upper + "/" + parts.joined(separator: "/")
                if isOpaque(parent) || rmdir(parent) != 0 { break }
                parts.removeLast()
            }
        }
    }

    /// An opaque directory replaces the lower one: empty, it still is a change.
    func isOpaque(_ path: String) -> Bool {
        var value: UInt8 = 0
        return berth_layer_getxattr_at(AT_FDCWD, path, "trusted.overlay.opaque", &value, 1) == 1 && value == UInt8(ascii: "y")
    }

    /// Whether a layer below has `parts` (the mount point then was the image's own).
    func inLower(_ parts: [String]) -> Bool {
        var st = stat()
        return lowers.contains { lstat($0 + "/" + parts.joined(separator: "/"), &st) == 0 }
    }
}
