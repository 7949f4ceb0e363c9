import OCI

/// What docker gives every container unless told otherwise: capabilities, masked and
/// read-only paths, the kernel filesystems under /proc, /dev and /sys, rlimits and
/// device cgroup rules (moby's `oci.DefaultLinuxSpec` with containerd's limits).
public enum DockerDefaults {
    /// Docker's 14 default capabilities.
    public static let capabilities: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ]

    /// Every capability the kernel knows (what `--privileged` and `--cap-add ALL` give).
    public static var allCapabilities: [String] { LinuxCapabilities.knownNames }

    /// Paths hidden from unprivileged containers.
    public static let maskedPaths: [String] = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
        "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Paths read-only in unprivileged containers.
    public static let readonlyPaths: [String] = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    /// Default size of /dev/shm: 64 MiB.
    public static let shmSize: Int64 = 64 << 20

    /// The open-files limit a container gets from dockerd and containerd.
    public static let rlimits: [POSIXRlimit] = [
        POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1_048_576, soft: 1_048_576),
    ]

    /// The kernel filesystems every container mounts, in order. `/sys` and `/sys/fs/cgroup`
    /// are writable only when privileged; `shmSize` sizes /dev/shm (nil: no /dev/shm, as
    /// with `--ipc none`).
    public static func mounts(privileged: Bool, shmSize: Int64?) -> [OCI.Mount] {
        var mounts: [OCI.Mount] = [
            OCI.Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            OCI.Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
                      options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            OCI.Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
                      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            OCI.Mount(destination: "/sys", type: "sysfs", source: "sysfs",
                      options: ["nosuid", "noexec", "nodev", privileged ? "rw" : "ro"]),
            OCI.Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                      options: ["nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"]),
            OCI.Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        ]
        if let shmSize {
            mounts.append(OCI.Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
                                    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=\(shmSize)"]))
        }
        return mounts
    }

    /// Device cgroup rules before the container's own: deny everything, then allow the
    /// standard nodes, mknod of any node, and the pty devices.
    public static let deviceRules: [LinuxDeviceCgroup] = {
        func allow(_ type: String, _ major: Int64?, _ minor: Int64?, _ access: String = "rwm") -> LinuxDeviceCgroup {
            LinuxDeviceCgroup(allow: true, type: type, major: major, minor: minor, access: access)
        }
        return [
            LinuxDeviceCgroup(allow: false, access: "rwm"),
            allow("c", nil, nil, "m"), allow("b", nil, nil, "m"),
            allow("c", 1, 3), allow("c", 1, 5), allow("c", 1, 7), allow("c", 1, 8), allow("c", 1, 9),
            allow("c", 5, 0), allow("c", 5, 1), allow("c", 5, 2), allow("c", 136, nil),
            allow("c", 10, 200),
        ]
    }()

    /// The rule a privileged container gets instead: every device.
    public static let privilegedDeviceRules: [LinuxDeviceCgroup] = [LinuxDeviceCgroup(allow: true, access: "rwm")]
}
