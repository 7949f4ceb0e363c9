import Glibc

extension ContainerRootFS {
    /// Unmounts everything at and below `target` (stacked mounts and submounts, deepest first)
    /// with a plain umount2, retrying EBUSY for up to `timeout` seconds, then checks that
    /// /proc/self/mountinfo lists none of them any more. A lazy detach would only hide a busy
    /// mount (its overlay and upper dir stay in use); it is used only when `detachIfBusy`.
    public static func unmount(_ target: String, timeout: Double = 2, detachIfBusy: Bool = false) throws {
        let path = MountTable.canonical(target)
        var rounds = 0
        while case let mounts = MountTable.mounts(under: path), !mounts.isEmpty {
            rounds += 1
            if rounds > 64 { throw SnapshotError.stillMounted(target: path) }
            try unmountOne(mounts[0], timeout: timeout, detachIfBusy: detachIfBusy)
        }
    }

    /// True when `target` is a mount point.
    public static func isMounted(_ target: String) -> Bool {
        MountTable.isMounted(MountTable.canonical(target))
    }

    private static func unmountOne(_ path: String, timeout: Double, detachIfBusy: Bool) throws {
        let deadline = StoreFS.now() + timeout
        while true {
            if umount2(path, 0) == 0 { return }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EINVAL, ENOENT:
                // Not a mount point any more (someone else unmounted it).
                if !MountTable.isMounted(path) { return }
                throw SnapshotError.mountFailed(target: path, errno: code, message: "umount")
            case EBUSY:
                if StoreFS.now() < deadline {
                    usleep(20_000)
                    continue
                }
                if detachIfBusy, umount2(path, Int32(MNT_DETACH)) == 0 { return }
                throw SnapshotError.busy(target: path, seconds: timeout)
            default:
                throw SnapshotError.mountFailed(target: path, errno: code, message: "umount")
            }
        }
    }

}
