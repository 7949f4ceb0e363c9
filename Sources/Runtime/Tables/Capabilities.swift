/// Linux capability names and numbers (capability.h), as config.json spells them.
public enum Capabilities {
    /// Every capability Linux 6.x knows, by its number.
    public static let names: [String] = [
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

    /// The number of a capability name ("CAP_KILL" or "kill"), or nil.
    public static func number(_ name: String) -> Int? {
        let upper = name.uppercased()
        let full = upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
        return names.firstIndex(of: full)
    }

    /// The highest capability the running kernel supports.
    public static let lastCap: Int = {
        if let text = try? Host.readFile("/proc/sys/kernel/cap_last_cap"),
           let n = Int(text.split(separator: "\n").first ?? "") {
            return n
        }
        return names.count - 1
    }()

    /// A bit set of the named capabilities; names the kernel does not know are skipped,
    /// names nobody knows are an error naming `path`.
    public static func mask(_ list: [String]?, path: String) throws(RuntimeError) -> UInt64 {
        var mask: UInt64 = 0
        for (i, name) in (list ?? []).enumerated() {
            guard let n = number(name) else {
                throw RuntimeError.invalidConfig(path: "\(path)[\(i)]", message: "unknown capability \"\(name)\"")
            }
            if n <= lastCap { mask |= 1 << UInt64(n) }
        }
        return mask
    }
}
