/// Seccomp filter of the container (`linux.seccomp`).
public struct LinuxSeccomp: Codable, Sendable, Equatable {
    /// Action for syscalls no rule matches, e.g. "SCMP_ACT_ERRNO".
    public var defaultAction: String
    /// errno returned by the default action when it is SCMP_ACT_ERRNO or SCMP_ACT_TRACE.
    public var defaultErrnoRet: UInt32?
    /// Architectures the filter covers, e.g. "SCMP_ARCH_X86_64".
    public var architectures: [String]?
    /// seccomp(2) filter flags, e.g. "SECCOMP_FILTER_FLAG_LOG".
    public var flags: [String]?
    /// Unix socket that receives the notify fd when an action is SCMP_ACT_NOTIFY.
    public var listenerPath: String?
    /// Opaque data passed to the listener.
    public var listenerMetadata: String?
    /// Rules, matched in order.
    public var syscalls: [LinuxSyscall]?

    /// Creates a filter.
    public init(
        defaultAction: String,
        defaultErrnoRet: UInt32? = nil,
        architectures: [String]? = nil,
        flags: [String]? = nil,
        listenerPath: String? = nil,
        listenerMetadata: String? = nil,
        syscalls: [LinuxSyscall]? = nil
    ) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.flags = flags
        self.listenerPath = listenerPath
        self.listenerMetadata = listenerMetadata
        self.syscalls = syscalls
    }
}

/// A seccomp rule: an action for the named syscalls, optionally only when arguments match.
public struct LinuxSyscall: Codable, Sendable, Equatable {
    /// Syscall names, e.g. "read".
    public var names: [String]
    /// Action taken, e.g. "SCMP_ACT_ALLOW".
    public var action: String
    /// errno returned when the action is SCMP_ACT_ERRNO or SCMP_ACT_TRACE.
    public var errnoRet: UInt32?
    /// Argument conditions; all must hold.
    public var args: [LinuxSeccompArg]?

    /// Creates a rule.
    public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [LinuxSeccompArg]? = nil) {
        self.names = names
        self.action = action
        self.errnoRet = errnoRet
        self.args = args
    }
}

/// A condition on one syscall argument.
public struct LinuxSeccompArg: Codable, Sendable, Equatable {
    /// Argument index, 0 to 5.
    public var index: UInt32
    /// Value compared with.
    public var value: UInt64
    /// Second value, for SCMP_CMP_MASKED_EQ (the expected masked value).
    public var valueTwo: UInt64?
    /// Comparison: "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", ..., "SCMP_CMP_MASKED_EQ".
    public var op: String

    /// Creates a condition.
    public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
        self.index = index
        self.value = value
        self.valueTwo = valueTwo
        self.op = op
    }
}
