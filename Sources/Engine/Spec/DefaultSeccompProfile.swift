import OCI

/// Docker's default seccomp policy, written out as data: deny (EPERM) by default; allow what
/// ordinary programs use; allow the privileged syscalls only with the capability that makes
/// them meaningful; `personality` limited to the harmless domains; `clone` without namespace
/// flags unless CAP_SYS_ADMIN; `clone3` (whose flags a filter cannot inspect) fails with ENOSYS
/// so libc falls back to `clone`.
public enum DefaultSeccompProfile {
    /// EPERM.
    static let eperm: UInt32 = 1
    /// ENOSYS.
    static let enosys: UInt32 = 38
    /// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    public static let cloneNamespaceFlags: UInt64 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000
        | 0x1000_0000 | 0x2000_0000 | 0x4000_0000

    /// The filter for a container whose bounding set is `capabilities`.
    public static func linuxSeccomp(capabilities: [String], architecture: SeccompArch = .native) -> LinuxSeccomp {
        // The built-in profile is consistent by construction; check() cannot fail.
        (try? profile.linuxSeccomp(capabilities: capabilities, architecture: architecture))
            ?? LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: eperm)
    }

    /// The profile in docker's format (what `docker info`'s "default" profile means).
    public static let profile: SeccompProfile = {
        typealias Rule = SeccompProfile.Rule
        typealias Filter = SeccompProfile.Filter
        func allow(_ names: [String], caps: [String]? = nil, arches: [String]? = nil) -> Rule {
            Rule(names: names, action: "SCMP_ACT_ALLOW",
                 includes: caps == nil && arches == nil ? nil : Filter(arches: arches, caps: caps))
        }
        func argEquals(_ value: UInt64) -> [LinuxSeccompArg] {
            [LinuxSeccompArg(index: 0, value: value, op: "SCMP_CMP_EQ")]
        }
        var rules: [Rule] = [allow(unconditional)]
        // ptrace of one's own children is safe since Linux 4.8 (seccomp is re-checked after a tracer's change).
        rules.append(Rule(names: ["ptrace", "process_vm_readv", "process_vm_writev"], action: "SCMP_ACT_ALLOW",
                          includes: Filter(minKernel: "4.8")))
        // Any socket family but AF_VSOCK (40), which reaches the host.
        rules.append(Rule(names: ["socket"], action: "SCMP_ACT_ALLOW",
                          args: [LinuxSeccompArg(index: 0, value: 40, op: "SCMP_CMP_NE")]))
        // personality(2): PER_LINUX, PER_LINUX32, UNAME26, PER_LINUX32|UNAME26, and the query 0xffffffff.
        for domain: UInt64 in [0x0, 0x8, 0x20000, 0x20008, 0xffff_ffff] {
            rules.append(Rule(names: ["personality"], action: "SCMP_ACT_ALLOW", args: argEquals(domain)))
        }
        for (arches, names) in architectureSpecific {
            rules.append(allow(names, arches: arches))
        }
        for (cap, names) in byCapability {
            rules.append(allow(names, caps: [cap]))
        }
        // clone without namespace flags for everyone else (flags are argument 1 on s390).
        rules.append(Rule(names: ["clone"], action: "SCMP_ACT_ALLOW",
                          args: [LinuxSeccompArg(index: 0, value: cloneNamespaceFlags, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ")],
                          excludes: Filter(arches: ["s390", "s390x"], caps: ["CAP_SYS_ADMIN"])))
        rules.append(Rule(names: ["clone"], action: "SCMP_ACT_ALLOW",
                          args: [LinuxSeccompArg(index: 1, value: cloneNamespaceFlags, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ")],
                          includes: Filter(arches: ["s390", "s390x"]), excludes: Filter(caps: ["CAP_SYS_ADMIN"])))
        rules.append(Rule(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: enosys,
                          excludes: Filter(caps: ["CAP_SYS_ADMIN"])))
        return SeccompProfile(
            defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: eperm,
            archMap: [
                .init(architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
                .init(architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"]),
                .init(architecture: "SCMP_ARCH_S390X", subArchitectures: ["SCMP_ARCH_S390"]),
                .init(architecture: "SCMP_ARCH_PPC64LE"),
                .init(architecture: "SCMP_ARCH_RISCV64"),
            ],
            syscalls: rules)
    }()

    /// Syscalls with privileged effects, allowed only with the capability that authorizes them.
    static let byCapability: [(String, [String])] = [
        ("CAP_SYS_ADMIN", [
            "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
            "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open",
            "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount",
            "umount2", "unshare",
        ]),
        ("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
        ("CAP_SYS_BOOT", ["reboot"]),
        ("CAP_SYS_CHROOT", ["chroot"]),
        ("CAP_SYS_MODULE", ["init_module", "finit_module", "delete_module"]),
        ("CAP_SYS_PACCT", ["acct"]),
        ("CAP_SYS_PTRACE", ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"]),
        ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
        ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
        ("CAP_SYS_TTY_CONFIG", ["vhangup"]),
        ("CAP_SYS_NICE", ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]),
        ("CAP_SYSLOG", ["syslog"]),
        ("CAP_BPF", ["bpf"]),
        ("CAP_PERFMON", ["perf_event_open"]),
    ]

    /// Syscalls that exist only on some machines.
    static let architectureSpecific: [([String], [String])] = [
        (["amd64", "x32"], ["arch_prctl"]),
        (["amd64", "x32", "x86"], ["modify_ldt"]),
        (["arm", "arm64"], ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"]),
        (["ppc64le"], ["sync_file_range2", "swapcontext"]),
        (["s390", "s390x"], ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"]),
        (["riscv64"], ["riscv_flush_icache"]),
    ]

    /// What ordinary programs need, by area. Names a machine lacks are skipped when compiled.
    static let unconditional: [String] = files + descriptors + memory + processes + identity + signals
        + time + ipc + network + scheduling + misc

    static let files = [
        "access", "faccessat", "faccessat2", "chdir", "fchdir", "getcwd", "chmod", "fchmod", "fchmodat",
        "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", "creat", "open", "openat",
        "openat2", "close", "close_range", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat",
        "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat", "readlink",
        "readlinkat", "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64", "newfstatat",
        "statx", "statfs", "statfs64", "fstatfs", "fstatfs64", "truncate", "truncate64", "ftruncate",
        "ftruncate64", "getdents", "getdents64", "utime", "utimes", "utimensat", "utimensat_time64",
        "futimesat", "umask", "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr",
        "listxattr", "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
        "fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "fallocate", "fadvise64", "fadvise64_64",
        "readahead", "flock", "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
        "fanotify_mark", "name_to_handle_at", "copy_file_range",
    ]

    static let descriptors = [
        "read", "readv", "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev", "pwritev2",
        "lseek", "_llseek", "dup", "dup2", "dup3", "fcntl", "fcntl64", "ioctl", "pipe", "pipe2", "splice",
        "tee", "vmsplice", "sendfile", "sendfile64", "select", "_newselect", "pselect6", "pselect6_time64",
        "poll", "ppoll", "ppoll_time64", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
        "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "signalfd",
        "signalfd4", "timerfd_create", "timerfd_settime", "timerfd_settime64", "timerfd_gettime",
        "timerfd_gettime64", "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents",
        "io_pgetevents", "io_pgetevents_time64", "io_uring_setup", "io_uring_enter", "io_uring_register",
    ]

    static let memory = [
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync", "mlock",
        "mlock2", "mlockall", "munlock", "munlockall", "memfd_create", "memfd_secret", "membarrier",
        "remap_file_pages", "pkey_alloc", "pkey_free", "pkey_mprotect",
    ]

    static let processes = [
        "execve", "execveat", "fork", "vfork", "exit", "exit_group", "wait4", "waitid", "waitpid",
        "getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid", "set_tid_address",
        "set_robust_list", "get_robust_list", "futex", "futex_time64", "futex_waitv", "rseq", "prctl",
        "capget", "capset", "getrlimit", "setrlimit", "ugetrlimit", "prlimit64", "getrusage", "getpriority",
        "setpriority", "ioprio_get", "ioprio_set", "pidfd_open", "pidfd_send_signal", "process_mrelease",
        "get_thread_area", "set_thread_area", "restart_syscall", "seccomp", "landlock_create_ruleset",
        "landlock_add_rule", "landlock_restrict_self",
    ]

    static let identity = [
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32",
        "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32", "setuid",
        "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid", "setregid32", "setresuid",
        "setresuid32", "setresgid", "setresgid32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
        "setgroups", "setgroups32",
    ]

    static let signals = [
        "kill", "tkill", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigqueueinfo",
        "rt_tgsigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
        "sigaltstack", "sigprocmask", "sigreturn", "pause", "alarm",
    ]

    static let time = [
        "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64",
        "clock_nanosleep", "clock_nanosleep_time64", "nanosleep", "clock_adjtime", "clock_adjtime64",
        "adjtimex", "times", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
    ]

    static let ipc = [
        "ipc", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semtimedop_time64",
        "semctl", "shmget", "shmat", "shmdt", "shmctl", "mq_open", "mq_unlink", "mq_timedsend",
        "mq_timedsend_time64", "mq_timedreceive", "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
    ]

    static let network = [
        "socketpair", "socketcall", "bind", "connect", "listen", "accept", "accept4", "getsockname",
        "getpeername", "getsockopt", "setsockopt", "send", "sendto", "sendmsg", "sendmmsg", "recv",
        "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64", "shutdown",
    ]

    static let scheduling = [
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr",
        "sched_getparam", "sched_setparam", "sched_getscheduler", "sched_setscheduler",
        "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval",
        "sched_rr_get_interval_time64", "getcpu",
    ]

    static let misc = ["uname", "sysinfo", "getrandom"]
}
