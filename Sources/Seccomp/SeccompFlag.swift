import CSeccomp

/// One validated `linux.seccomp.flags[i]` entry.
struct SeccompFlag {
    /// The flag's name, e.g. "SECCOMP_FILTER_FLAG_LOG".
    var name: String
    /// JSON path, for errors.
    var path: String
    /// Bit passed to seccomp(2).
    var bit: UInt32
    /// The matching libseccomp attribute, when libseccomp 2.5 has one.
    var attribute: scmp_filter_attr?

    /// Every flag name the compiler accepts.
    static let names = [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ]

    /// Validates `name`, found at `path`.
    init(named name: String, path: String) throws {
        self.name = name
        self.path = path
        switch name {
        case "SECCOMP_FILTER_FLAG_TSYNC":
            (bit, attribute) = (SeccompFilterFlag.tsync, SCMP_FLTATR_CTL_TSYNC)
        case "SECCOMP_FILTER_FLAG_LOG":
            (bit, attribute) = (SeccompFilterFlag.log, SCMP_FLTATR_CTL_LOG)
        case "SECCOMP_FILTER_FLAG_SPEC_ALLOW":
            (bit, attribute) = (SeccompFilterFlag.specAllow, SCMP_FLTATR_CTL_SSB)
        case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV":
            // Only meaningful with NEW_LISTENER, and the kernel rejects it (EINVAL) without
            // one. Berth has no listener support (SCMP_ACT_NOTIFY is refused), so the flag
            // is accepted and has nothing to act on.
            (bit, attribute) = (0, nil)
        default:
            throw SeccompError(
                path: path,
                reason: "unknown seccomp flag \"\(name)\" (expected one of \(Self.names.joined(separator: ", ")))")
        }
    }
}
