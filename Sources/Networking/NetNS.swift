import CRuntime
import Glibc

/// Named network namespaces: a new namespace kept alive by a bind mount of its nsfs file on
/// `path` (what `ip netns add` does, but under Berth's own run directory). A container's
/// runtime joins it by path; CNI plugins configure it by path.
public enum NetNS {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var step: String
        public var errno: Int32
        public var description: String { "network namespace \(path): \(step): \(String(cString: strerror(errno)))" }
    }

    /// Creates a new, empty network namespace pinned at `path` (whose directory must exist).
    public static func create(at path: String) throws(Failure) {
        let fd = open(path, O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw Failure(path: path, step: "create mount point", errno: errno) }
        close(fd)
        var step: UnsafePointer<CChar>?
        let rc = berth_netns_create(path, &step)
        if rc != 0 {
            unlink(path)
            throw Failure(path: path, step: step.map { String(cString: $0) } ?? "create", errno: -rc)
        }
    }

    /// Unmounts and removes a namespace made by ``create(at:)``; a missing one is not an error.
    public static func remove(at path: String) {
        _ = umount2(path, Int32(MNT_DETACH))
        unlink(path)
    }

    /// True when `path` is a mounted namespace file (not only the empty mount point).
    public static func isMounted(_ path: String) -> Bool {
        // NSFS_MAGIC: the namespace filesystem.
        berth_fs_type(path) == 0x6e73_6673
    }
}
