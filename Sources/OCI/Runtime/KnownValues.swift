// The closed vocabularies of the runtime spec, as Linux 6.x and libseccomp 2.6 know them.
// Orders matter where noted: an index is the kernel's number for the name.

extension LinuxCapabilities {
    /// Every capability Linux 6.x defines, indexed by its number (CAP_CHOWN is 0, CAP_CHECKPOINT_RESTORE 40).
    public static let knownNames: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
        "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ]

    /// The kernel's number for a capability name such as "CAP_KILL", or nil if unknown.
    public static func number(of name: String) -> Int? {
        knownNames.firstIndex(of: name)
    }
}

extension POSIXRlimit {
    /// Every rlimit type Linux defines, indexed by its resource number (RLIMIT_CPU is 0, RLIMIT_RTTIME 15).
    public static let knownTypes: [String] = [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ]

    /// The kernel's resource number for this limit's type, or nil if unknown.
    public var resource: Int? {
        Self.knownTypes.firstIndex(of: type)
    }
}

extension LinuxSeccomp {
    /// Actions a rule or the default may take.
    public static let knownActions: Set<String> = [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ]

    /// Actions that take an errno (`errnoRet` / `defaultErrnoRet`).
    public static let actionsWithErrno: Set<String> = ["SCMP_ACT_ERRNO", "SCMP_ACT_TRACE"]

    /// Comparison operators of argument conditions.
    public static let knownOperators: Set<String> = [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
        "SCMP_CMP_MASKED_EQ",
    ]

    /// seccomp(2) filter flags.
    public static let knownFlags: Set<String> = [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ]

    /// Architectures libseccomp 2.6 knows.
    public static let knownArchitectures: Set<String> = [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
        "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ]
}

extension Linux {
    /// Values `rootfsPropagation` may take.
    public static let rootfsPropagationModes: Set<String> = [
        "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable",
    ]

    /// Device node types of `linux.devices[].type`: character ("c", "u"), block, FIFO.
    public static let deviceTypes: Set<String> = ["c", "u", "b", "p"]

    /// Clocks a time namespace can offset (keys of `timeOffsets`).
    public static let timeOffsetClocks: Set<String> = ["monotonic", "boottime"]
}

extension Scheduler {
    /// Scheduling policies.
    public static let knownPolicies: Set<String> = [
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
    ]

    /// Scheduling flags.
    public static let knownFlags: Set<String> = [
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    ]
}

extension LinuxIOPriority {
    /// I/O scheduling classes.
    public static let knownClasses: Set<String> = ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"]
}

extension LinuxPersonality {
    /// Execution domains.
    public static let knownDomains: Set<String> = ["LINUX", "LINUX32"]
}
