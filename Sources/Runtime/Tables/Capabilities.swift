import OCI

/// Capability sets as the kernel takes them (bit masks), from config.json's names.
public enum Capabilities {
    /// The number of a capability name ("CAP_KILL" or "kill"), or nil.
    public static func number(_ name: String) -> Int? {
        let upper = name.uppercased()
        return LinuxCapabilities.number(of: upper.hasPrefix("CAP_") ? upper : "CAP_" + upper)
    }

    /// The highest capability the running kernel supports.
    public static let lastCap: Int = {
        if let text = try? Host.readFile("/proc/sys/kernel/cap_last_cap"),
           let n = Int(text.split(separator: "\n").first ?? "") {
            return n
        }
        return LinuxCapabilities.knownNames.count - 1
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
