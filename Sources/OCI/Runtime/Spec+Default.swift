extension Spec {
    /// The configuration `berth-runtime spec` writes: the same as `runc spec` on a cgroup v2 host,
    /// with hostname "berth". Runs `sh` on a terminal in ./rootfs (read-only), as root, with
    /// three capabilities, fresh pid/network/ipc/uts/mount/cgroup namespaces and no device access.
    public static func defaultSpec() -> Spec {
        let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        return Spec(
            ociVersion: Spec.version,
            process: ProcessSpec(
                terminal: true,
                user: User(uid: 0, gid: 0),
                args: ["sh"],
                env: [
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "TERM=xterm",
                ],
                cwd: "/",
                capabilities: LinuxCapabilities(
                    bounding: capabilities,
                    effective: capabilities,
                    permitted: capabilities
                ),
                rlimits: [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)],
                noNewPrivileges: true
            ),
            root: Root(path: "rootfs", readonly: true),
            hostname: "berth",
            mounts: [
                Mount(destination: "/proc", type: "proc", source: "proc"),
                Mount(
                    destination: "/dev", type: "tmpfs", source: "tmpfs",
                    options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
                Mount(
                    destination: "/dev/pts", type: "devpts", source: "devpts",
                    options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
                Mount(
                    destination: "/dev/shm", type: "tmpfs", source: "shm",
                    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
                Mount(
                    destination: "/dev/mqueue", type: "mqueue", source: "mqueue",
                    options: ["nosuid", "noexec", "nodev"]),
                Mount(
                    destination: "/sys", type: "sysfs", source: "sysfs",
                    options: ["nosuid", "noexec", "nodev", "ro"]),
                Mount(
                    destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                    options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
            ],
            linux: Linux(
                resources: LinuxResources(devices: [LinuxDeviceCgroup(allow: false, access: "rwm")]),
                namespaces: [
                    LinuxNamespace(type: .pid),
                    LinuxNamespace(type: .network),
                    LinuxNamespace(type: .ipc),
                    LinuxNamespace(type: .uts),
                    LinuxNamespace(type: .mount),
                    LinuxNamespace(type: .cgroup),
                ],
                maskedPaths: [
                    "/proc/acpi",
                    "/proc/asound",
                    "/proc/kcore",
                    "/proc/keys",
                    "/proc/latency_stats",
                    "/proc/timer_list",
                    "/proc/timer_stats",
                    "/proc/sched_debug",
                    "/sys/firmware",
                    "/proc/scsi",
                    "/sys/devices/virtual/tpm",
                ],
                readonlyPaths: [
                    "/proc/bus",
                    "/proc/fs",
                    "/proc/irq",
                    "/proc/sys",
                    "/proc/sysrq-trigger",
                ]
            )
        )
    }
}
