/// The process the container runs (`process` in config.json).
public struct ProcessSpec: Codable, Sendable, Equatable {
    /// Whether a pseudo-terminal is attached to the process.
    public var terminal: Bool?
    /// Size of the console, when `terminal` is true.
    public var consoleSize: ConsoleSize?
    /// The user the process runs as.
    public var user: User
    /// Executable and arguments; `args[0]` is looked up in the container's PATH.
    public var args: [String]?
    /// Full command line (Windows only; kept for completeness).
    public var commandLine: String?
    /// Environment, as `KEY=value` strings.
    public var env: [String]?
    /// Working directory; must be absolute.
    public var cwd: String
    /// Capability sets of the process.
    public var capabilities: LinuxCapabilities?
    /// Resource limits (setrlimit).
    public var rlimits: [POSIXRlimit]?
    /// Sets the no_new_privs bit.
    public var noNewPrivileges: Bool?
    /// AppArmor profile to apply.
    public var apparmorProfile: String?
    /// Value written to /proc/self/oom_score_adj.
    public var oomScoreAdj: Int?
    /// SELinux label of the process.
    public var selinuxLabel: String?
    /// I/O priority (ioprio_set).
    public var ioPriority: LinuxIOPriority?
    /// Scheduling policy (sched_setattr).
    public var scheduler: Scheduler?
    /// CPU affinity applied while the runtime execs the process.
    public var execCPUAffinity: CPUAffinity?

    /// Creates a process; `user` and `cwd` are required by the spec.
    public init(
        terminal: Bool? = nil,
        consoleSize: ConsoleSize? = nil,
        user: User = User(),
        args: [String]? = nil,
        commandLine: String? = nil,
        env: [String]? = nil,
        cwd: String = "/",
        capabilities: LinuxCapabilities? = nil,
        rlimits: [POSIXRlimit]? = nil,
        noNewPrivileges: Bool? = nil,
        apparmorProfile: String? = nil,
        oomScoreAdj: Int? = nil,
        selinuxLabel: String? = nil,
        ioPriority: LinuxIOPriority? = nil,
        scheduler: Scheduler? = nil,
        execCPUAffinity: CPUAffinity? = nil
    ) {
        self.terminal = terminal
        self.consoleSize = consoleSize
        self.user = user
        self.args = args
        self.commandLine = commandLine
        self.env = env
        self.cwd = cwd
        self.capabilities = capabilities
        self.rlimits = rlimits
        self.noNewPrivileges = noNewPrivileges
        self.apparmorProfile = apparmorProfile
        self.oomScoreAdj = oomScoreAdj
        self.selinuxLabel = selinuxLabel
        self.ioPriority = ioPriority
        self.scheduler = scheduler
        self.execCPUAffinity = execCPUAffinity
    }
}

/// Console dimensions in characters.
public struct ConsoleSize: Codable, Sendable, Equatable {
    /// Rows.
    public var height: UInt32
    /// Columns.
    public var width: UInt32

    /// Creates a console size.
    public init(height: UInt32, width: UInt32) {
        self.height = height
        self.width = width
    }
}

/// The identity the process runs with.
public struct User: Codable, Sendable, Equatable {
    /// User ID in the container's user namespace.
    public var uid: UInt32
    /// Group ID in the container's user namespace.
    public var gid: UInt32
    /// File mode creation mask; the runtime default (0022) when absent.
    public var umask: UInt32?
    /// Supplementary group IDs.
    public var additionalGids: [UInt32]?
    /// User name (Windows only; kept for completeness).
    public var username: String?

    /// Creates a user; root by default.
    public init(
        uid: UInt32 = 0,
        gid: UInt32 = 0,
        umask: UInt32? = nil,
        additionalGids: [UInt32]? = nil,
        username: String? = nil
    ) {
        self.uid = uid
        self.gid = gid
        self.umask = umask
        self.additionalGids = additionalGids
        self.username = username
    }
}

/// The process's capability sets; each holds names like "CAP_KILL".
public struct LinuxCapabilities: Codable, Sendable, Equatable {
    /// Bounding set.
    public var bounding: [String]?
    /// Effective set.
    public var effective: [String]?
    /// Inheritable set.
    public var inheritable: [String]?
    /// Permitted set.
    public var permitted: [String]?
    /// Ambient set.
    public var ambient: [String]?

    /// Creates capability sets.
    public init(
        bounding: [String]? = nil,
        effective: [String]? = nil,
        inheritable: [String]? = nil,
        permitted: [String]? = nil,
        ambient: [String]? = nil
    ) {
        self.bounding = bounding
        self.effective = effective
        self.inheritable = inheritable
        self.permitted = permitted
        self.ambient = ambient
    }
}

/// One setrlimit(2) limit.
public struct POSIXRlimit: Codable, Sendable, Equatable {
    /// Resource name, e.g. "RLIMIT_NOFILE".
    public var type: String
    /// Hard limit.
    public var hard: UInt64
    /// Soft limit; must not exceed `hard`.
    public var soft: UInt64

    /// Creates a limit.
    public init(type: String, hard: UInt64, soft: UInt64) {
        self.type = type
        self.hard = hard
        self.soft = soft
    }
}

/// I/O priority of the process (ioprio_set(2)).
public struct LinuxIOPriority: Codable, Sendable, Equatable {
    /// Class: "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE" or "IOPRIO_CLASS_IDLE".
    public var `class`: String
    /// Priority level within the class, 0 (highest) to 7.
    public var priority: Int

    /// Creates an I/O priority.
    public init(class: String, priority: Int) {
        self.class = `class`
        self.priority = priority
    }
}

/// Scheduling policy and attributes of the process (sched_setattr(2)).
public struct Scheduler: Codable, Sendable, Equatable {
    /// Policy, e.g. "SCHED_OTHER", "SCHED_FIFO", "SCHED_DEADLINE".
    public var policy: String
    /// Nice value, for SCHED_OTHER and SCHED_BATCH.
    public var nice: Int32?
    /// Static priority, for SCHED_FIFO and SCHED_RR.
    public var priority: Int32?
    /// Flags such as "SCHED_FLAG_RESET_ON_FORK".
    public var flags: [String]?
    /// SCHED_DEADLINE runtime, in nanoseconds.
    public var runtime: UInt64?
    /// SCHED_DEADLINE deadline, in nanoseconds.
    public var deadline: UInt64?
    /// SCHED_DEADLINE period, in nanoseconds.
    public var period: UInt64?

    /// Creates a scheduler setting.
    public init(
        policy: String,
        nice: Int32? = nil,
        priority: Int32? = nil,
        flags: [String]? = nil,
        runtime: UInt64? = nil,
        deadline: UInt64? = nil,
        period: UInt64? = nil
    ) {
        self.policy = policy
        self.nice = nice
        self.priority = priority
        self.flags = flags
        self.runtime = runtime
        self.deadline = deadline
        self.period = period
    }
}

/// CPU affinity of the runtime while it execs the process, as cpuset lists like "0-3,7".
public struct CPUAffinity: Codable, Sendable, Equatable {
    /// Affinity applied before the runtime joins the container's cgroup.
    public var initial: String?
    /// Affinity applied after joining the cgroup, before execve.
    public var final: String?

    /// Creates an affinity setting.
    public init(initial: String? = nil, final: String? = nil) {
        self.initial = initial
        self.final = final
    }
}
