import CRuntime

/// One step of the container's filesystem setup, run in order by the child
/// (see `berth_op` in CRuntime). Targets are paths inside the container.
public enum FilesystemOp: Sendable, Equatable {
    /// mount(source, target, fstype, flags, data), then `propagation` if nonzero.
    case mount(source: String, target: String, fstype: String, flags: UInt, data: String?, propagation: UInt)
    /// Bind `source` (a host path) onto target, remounting with `flags` beyond MS_BIND|MS_REC.
    case bind(source: String, target: String, flags: UInt, propagation: UInt, isFile: Bool, optional: Bool)
    /// Remount target with flags.
    case remount(target: String, flags: UInt)
    /// Create a device node.
    case mknod(target: String, mode: UInt32, major: UInt32, minor: UInt32, uid: UInt32, gid: UInt32)
    /// Create a symlink at target pointing to `to`.
    case symlink(target: String, to: String)
    /// Hide target (maskedPaths).
    case mask(target: String)
    /// Make target read-only (readonlyPaths).
    case readonly(target: String)
    /// Create a directory (and its parents) inside the root: the process' cwd.
    case mkdir(target: String)

    /// The path inside the container this op acts on.
    public var target: String {
        switch self {
        case let .mount(_, t, _, _, _, _), let .bind(_, t, _, _, _, _), let .remount(t, _),
             let .mknod(t, _, _, _, _, _), let .symlink(t, _), let .mask(t), let .readonly(t), let .mkdir(t):
            return t
        }
    }
}
