import DockerAPI
import Glibc

extension ResolvedDevice {
    /// Resolves one `--device host[:container[:perms]]` by stat'ing the host node (symlinks
    /// such as /dev/disk/by-id/… are followed, as docker does). The container path defaults to
    /// the host path, the permissions to "rwm".
    public static func stat(_ mapping: DeviceMapping) throws(SpecBuildError) -> ResolvedDevice {
        let hostPath = mapping.pathOnHost ?? ""
        guard hostPath.hasPrefix("/") else { throw .invalidDevice(path: hostPath, reason: "not an absolute path") }
        var containerPath = mapping.pathInContainer ?? ""
        if containerPath.isEmpty { containerPath = hostPath }
        guard containerPath.hasPrefix("/") else {
            throw .invalidDevice(path: hostPath, reason: "\(containerPath) is not an absolute path")
        }
        var permissions = mapping.cgroupPermissions ?? ""
        if permissions.isEmpty { permissions = "rwm" }
        var st = Glibc.stat()
        guard statFollowingLinks(hostPath, &st) == 0 else {
            throw .invalidDevice(path: hostPath, reason: String(cString: strerror(errno)))
        }
        let type: String
        switch st.st_mode & S_IFMT {
        case S_IFCHR: type = "c"
        case S_IFBLK: type = "b"
        default: throw .invalidDevice(path: hostPath, reason: "not a device node")
        }
        // glibc's gnu_dev_major/minor, spelled out (they are macros Swift cannot see).
        let dev = UInt64(st.st_rdev)
        let major = ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
        let minor = ((dev >> 12) & 0xffff_ff00) | (dev & 0xff)
        return ResolvedDevice(pathInContainer: containerPath, type: type, major: Int64(major), minor: Int64(minor),
                              fileMode: UInt32(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid,
                              permissions: permissions)
    }
}

/// stat(2), outside `ResolvedDevice` whose `stat(_:)` would shadow it.
private func statFollowingLinks(_ path: String, _ st: inout Glibc.stat) -> Int32 {
    stat(path, &st)
}
