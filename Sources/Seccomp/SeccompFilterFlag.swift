/// `SECCOMP_FILTER_FLAG_*` bits of seccomp(2), from linux/seccomp.h (kernel ABI, stable).
///
/// Spelled out here so the build does not depend on how new the kernel headers are.
public enum SeccompFilterFlag {
    /// Synchronize all threads of the process to the new filter.
    public static let tsync: UInt32 = 1 << 0
    /// Log every action except SECCOMP_RET_ALLOW.
    public static let log: UInt32 = 1 << 1
    /// Do not enable the speculative store bypass mitigation.
    public static let specAllow: UInt32 = 1 << 2
    /// Return a user-notification listener fd (needed by SCMP_ACT_NOTIFY).
    public static let newListener: UInt32 = 1 << 3
    /// With TSYNC, fail with ESRCH instead of returning a thread id.
    public static let tsyncESRCH: UInt32 = 1 << 4
    /// Make the notifying task wait killably once the listener received the event.
    public static let waitKillableRecv: UInt32 = 1 << 5
}
