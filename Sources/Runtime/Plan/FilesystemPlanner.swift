import Glibc
import OCI

/// Turns config.json's mounts, devices, maskedPaths and readonlyPaths into the
/// ordered `FilesystemOp` list the child runs.
struct FilesystemPlanner {
    let spec: Spec
    let context: PlanContext
    let userns: Bool
    let cgroupns: Bool

    typealias MS = MountOptions.MS

    /// The devices every container gets when /dev is not bound from the host.
    static let defaultDevices: [(path: String, major: UInt32, minor: UInt32)] = [
        ("/dev/null", 1, 3), ("/dev/zero", 1, 5), ("/dev/full", 1, 7),
        ("/dev/random", 1, 8), ("/dev/urandom", 1, 9), ("/dev/tty", 5, 0),
    ]

    func ops() throws(RuntimeError) -> [FilesystemOp] {
        var ops: [FilesystemOp] = []
        let mounts = spec.mounts ?? []
        var devIsTmpfs = false
        var hasDevPts = false
        for (i, mount) in mounts.enumerated() {
            let path = "mounts[\(i)]"
            guard mount.destination.hasPrefix("/") else {
                throw .invalidConfig(path: "\(path).destination", message: "must be an absolute path, got \"\(mount.destination)\"")
            }
            let dest = Host.absolute(mount.destination, base: "/")
            let options = try MountOptions(mount.options, path: "\(path).options")
            let type = mount.type ?? ""
            if type == "bind" || options.isBind {
                guard let src = mount.source, !src.isEmpty else {
                    throw .invalidConfig(path: "\(path).source", message: "a bind mount needs a source")
                }
                let source = Host.absolute(src, base: context.bundle)
                var st = stat()
                guard stat(source, &st) == 0 else {
                    throw .invalidConfig(path: "\(path).source", message: "bind source \(source) does not exist")
                }
                let isFile = (st.st_mode & S_IFMT) != S_IFDIR
                ops.append(.bind(source: source, target: dest, flags: options.flags | MS.bind,
                                 propagation: options.propagation, isFile: isFile, optional: false))
            } else if type == "cgroup" || type == "cgroup2" {
                ops += cgroupOps(dest: dest, options: options)
            } else {
                if type.isEmpty {
                    throw .invalidConfig(path: "\(path).type", message: "required for a non-bind mount")
                }
                ops.append(.mount(source: mount.source ?? type, target: dest, fstype: type, flags: options.flags,
                                  data: options.data, propagation: options.propagation))
                if dest == "/dev" { devIsTmpfs = true }
                if dest == "/dev/pts" { hasDevPts = true }
            }
        }

        if devIsTmpfs {
            for device in Self.defaultDevices {
                ops.append(deviceOp(path: device.path, mode: S_IFCHR | 0o666, major: device.major, minor: device.minor, uid: 0, gid: 0))
            }
            ops.append(.symlink(target: "/dev/fd", to: "/proc/self/fd"))
            ops.append(.symlink(target: "/dev/stdin", to: "/proc/self/fd/0"))
            ops.append(.symlink(target: "/dev/stdout", to: "/proc/self/fd/1"))
            ops.append(.symlink(target: "/dev/stderr", to: "/proc/self/fd/2"))
            if Host.exists("/proc/kcore") { ops.append(.symlink(target: "/dev/core", to: "/proc/kcore")) }
            if hasDevPts { ops.append(.symlink(target: "/dev/ptmx", to: "pts/ptmx")) }
        }
        for (i, device) in (spec.linux?.devices ?? []).enumerated() {
            let path = "linux.devices[\(i)]"
            guard device.path.hasPrefix("/") else {
                throw .invalidConfig(path: "\(path).path", message: "must be an absolute path")
            }
            let kind: UInt32
            switch device.type {
            case "c", "u": kind = S_IFCHR
            case "b": kind = S_IFBLK
            case "p": kind = S_IFIFO
            default: throw .invalidConfig(path: "\(path).type", message: "unknown device type \"\(device.type)\"")
            }
            let perm = (device.fileMode ?? 0o666) & 0o7777
            ops.append(deviceOp(path: device.path, mode: kind | perm, major: UInt32(truncatingIfNeeded: device.major),
                                minor: UInt32(truncatingIfNeeded: device.minor), uid: device.uid ?? 0, gid: device.gid ?? 0))
        }
        for path in spec.linux?.maskedPaths ?? [] { ops.append(.mask(target: path)) }
        for path in spec.linux?.readonlyPaths ?? [] { ops.append(.readonly(target: path)) }
        return ops
    }

    /// mknod, or in a user namespace (where mknod is not allowed) a bind of the host's node.
    private func deviceOp(path: String, mode: UInt32, major: UInt32, minor: UInt32, uid: UInt32, gid: UInt32) -> FilesystemOp {
        if userns {
            return .bind(source: path, target: path, flags: MS.bind, propagation: 0, isFile: true, optional: true)
        }
        return .mknod(target: path, mode: mode, major: major, minor: minor, uid: uid, gid: gid)
    }

    /// /sys/fs/cgroup as the container sees it: with a cgroup namespace, fresh
    /// cgroup mounts rooted at the container's cgroup; without, binds of its directories.
    private func cgroupOps(dest: String, options: MountOptions) -> [FilesystemOp] {
        let flags = options.flags
        let sources = context.cgroupMounts
        if sources.count == 1, sources[0].name.isEmpty {
            let s = sources[0]
            return cgroupns
                ? [.mount(source: "cgroup2", target: dest, fstype: "cgroup2", flags: flags, data: nil, propagation: 0)]
                : [.bind(source: s.hostPath, target: dest, flags: flags | MS.bind | MS.rec, propagation: 0, isFile: false, optional: false)]
        }
        var ops: [FilesystemOp] = [
            .mount(source: "tmpfs", target: dest, fstype: "tmpfs", flags: flags & ~MS.rdonly, data: "mode=755", propagation: 0),
        ]
        for s in sources {
            let target = dest + "/" + s.name
            if cgroupns {
                ops.append(.mount(source: "cgroup", target: target, fstype: s.fstype, flags: flags, data: s.options, propagation: 0))
            } else {
                ops.append(.bind(source: s.hostPath, target: target, flags: flags | MS.bind | MS.rec, propagation: 0, isFile: false, optional: false))
            }
        }
        if flags & MS.rdonly != 0 {
            ops.append(.remount(target: dest, flags: (flags & ~(MS.bind | MS.rec)) | MS.rdonly))
        }
        return ops
    }
}
