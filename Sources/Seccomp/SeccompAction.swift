import CSeccomp

/// OCI action names (`SCMP_ACT_*`) → libseccomp action values.
enum SeccompAction {
    /// Largest errno the kernel returns as such (MAX_ERRNO); bigger values are clamped.
    static let maxErrno: UInt32 = 4095
    /// EPERM, the errno of SCMP_ACT_ERRNO and the message of SCMP_ACT_TRACE when none is given (as runc).
    static let defaultErrno: UInt32 = 1

    /// Every action name the compiler accepts.
    static let names = [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ]

    /// The libseccomp action for `name`; `errnoRet` is the errno (ERRNO) or tracer message (TRACE).
    ///
    /// - Parameters:
    ///   - path: JSON path of the action field, for errors.
    ///   - errnoPath: JSON path of the errno field, for errors.
    static func value(named name: String, errnoRet: UInt32?, path: String, errnoPath: String) throws -> UInt32 {
        switch name {
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD":
            return SCMP_ACT_KILL_THREAD
        case "SCMP_ACT_KILL_PROCESS":
            return SCMP_ACT_KILL_PROCESS
        case "SCMP_ACT_TRAP":
            return SCMP_ACT_TRAP
        case "SCMP_ACT_ALLOW":
            return SCMP_ACT_ALLOW
        case "SCMP_ACT_LOG":
            return SCMP_ACT_LOG
        case "SCMP_ACT_ERRNO":
            let errno = errnoRet ?? defaultErrno
            guard errno <= maxErrno else {
                throw SeccompError(path: errnoPath, reason: "errno \(errno) is out of range (0...\(maxErrno))")
            }
            return berth_scmp_act_errno(UInt16(errno))
        case "SCMP_ACT_TRACE":
            let message = errnoRet ?? defaultErrno
            guard message <= UInt32(UInt16.max) else {
                throw SeccompError(path: errnoPath, reason: "trace message \(message) does not fit in 16 bits")
            }
            return berth_scmp_act_trace(UInt16(message))
        case "SCMP_ACT_NOTIFY":
            throw SeccompError(
                path: path,
                reason: "SCMP_ACT_NOTIFY needs a seccomp user-notification listener (listenerPath), which Berth does not support yet")
        default:
            throw SeccompError(
                path: path,
                reason: "unknown action \"\(name)\" (expected one of \(names.joined(separator: ", ")))")
        }
    }
}
