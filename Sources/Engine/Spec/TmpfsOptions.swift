/// Docker's handling of a tmpfs mount's option string (`--tmpfs /run:rw,size=64m,mode=1777`):
/// start from `noexec,nosuid,nodev,rprivate`, let later options win over earlier ones of the
/// same kind (`exec` over `noexec`, the last `size=`), and refuse what tmpfs does not take.
public enum TmpfsOptions {
    /// What every tmpfs mount starts from.
    public static let defaults = ["noexec", "nosuid", "nodev", "rprivate"]

    /// Flag options, keyed by the group they belong to: one member of each group survives.
    static let flagGroups: [String: String] = {
        var groups: [String: String] = [:]
        let pairs: [(String, [String])] = [
            ("ro", ["ro", "rw"]), ("suid", ["suid", "nosuid"]), ("dev", ["dev", "nodev"]),
            ("exec", ["exec", "noexec"]), ("sync", ["sync", "async"]), ("dirsync", ["dirsync"]),
            ("mand", ["mand", "nomand"]), ("atime", ["atime", "noatime"]), ("diratime", ["diratime", "nodiratime"]),
            ("relatime", ["relatime", "norelatime"]), ("strictatime", ["strictatime", "nostrictatime"]),
            ("propagation", ["private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable"]),
        ]
        for (group, names) in pairs { for name in names { groups[name] = group } }
        return groups
    }()

    /// The final option list for a tmpfs at `destination` with option string `options`.
    public static func merge(_ options: String, destination: String) throws(SpecBuildError) -> [String] {
        let given = options.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        for option in given { try validate(option, destination: destination) }
        var seen = Set<String>()
        var result: [String] = []
        for option in (defaults + given).reversed() where option != "defaults" {
            let key = flagGroups[option] ?? ("=" + option.prefix { $0 != "=" })
            if seen.insert(key).inserted { result.insert(option, at: 0) }
        }
        return result
    }

    /// Checks one option: a known flag, or `size`, `mode`, `uid`, `gid`, `nr_inodes`,
    /// `nr_blocks`, `mpol` with a well-formed value.
    static func validate(_ option: String, destination: String) throws(SpecBuildError) {
        if option == "defaults" || flagGroups[option] != nil { return }
        let bad = SpecBuildError.invalidTmpfsOption(destination: destination, option: option)
        guard let equals = option.firstIndex(of: "=") else { throw bad }
        let key = option[..<equals]
        let value = option[option.index(after: equals)...]
        switch key {
        case "size":
            if value.hasSuffix("%"), let percent = UInt64(value.dropLast()), percent <= 100 { return }
            guard ByteSize.parse(value) != nil else { throw bad }
        case "nr_inodes", "nr_blocks":
            guard ByteSize.parse(value) != nil else { throw bad }
        case "mode":
            guard !value.isEmpty, value.count <= 4, let mode = UInt32(value, radix: 8), mode <= 0o7777 else { throw bad }
        case "uid", "gid":
            guard let id = UInt32(value), id <= 2_147_483_647 else { throw bad }
        case "mpol":
            guard !value.isEmpty else { throw bad }
        default:
            throw bad
        }
    }
}

/// Sizes as docker and the kernel write them: "65536", "64k", "64m", "1g" (binary units,
/// case-insensitive, an optional trailing "b").
public enum ByteSize {
    /// The size in bytes, or nil when malformed or too large.
    public static func parse<S: StringProtocol>(_ text: S) -> Int64? {
        var digits = Substring(text.lowercased())
        if digits.hasSuffix("b") && digits.count > 1 { digits = digits.dropLast() }
        var multiplier: Int64 = 1
        if let unit = digits.last, let shift = ["k": 10, "m": 20, "g": 30, "t": 40, "p": 50][String(unit)] {
            multiplier = 1 << shift
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let number = Int64(digits) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }
}
