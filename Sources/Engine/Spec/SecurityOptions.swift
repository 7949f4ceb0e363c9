/// Docker's `--security-opt` values, parsed.
public struct SecurityOptions: Sendable, Equatable {
    /// Which seccomp filter the container gets.
    public enum Seccomp: Sendable, Equatable {
        /// Docker's default profile (``DefaultSeccompProfile``); also `seccomp=builtin`.
        case `default`
        /// No filter (`seccomp=unconfined`).
        case unconfined
        /// A profile in docker's JSON format, given inline (the CLI sends the file's contents).
        case profile(String)
    }

    /// The seccomp choice; privileged containers get none whatever this says.
    public var seccomp: Seccomp = .default
    /// `no-new-privileges[=true|false]`.
    public var noNewPrivileges = false
    /// `systempaths=unconfined`: no masked or read-only /proc and /sys paths.
    public var unconfinedSystemPaths = false
    /// `writable-cgroups=true`: /sys/fs/cgroup mounted read-write.
    public var writableCgroups = false

    /// Creates the defaults (docker's seccomp profile, privileges may grow).
    public init() {}

    /// Parses docker's forms: `no-new-privileges`, `key=value` (or the deprecated `key:value`)
    /// with keys `seccomp`, `no-new-privileges`, `systempaths`, `writable-cgroups`, and
    /// `label`/`apparmor` (accepted, ignored: Berth has neither LSM). Anything else throws
    /// ``SpecBuildError/invalidSecurityOpt(_:)`` naming the option.
    public static func parse(_ options: [String]?) throws(SpecBuildError) -> SecurityOptions {
        var result = SecurityOptions()
        for option in options ?? [] {
            if option == "no-new-privileges" {
                result.noNewPrivileges = true
                continue
            }
            if option == "disable" { continue }  // label=disable's old spelling
            let separator: Character = option.contains("=") ? "=" : ":"
            guard let cut = option.firstIndex(of: separator) else { throw .invalidSecurityOpt(option) }
            let key = option[..<cut]
            let value = String(option[option.index(after: cut)...])
            switch key {
            case "label", "apparmor":
                continue
            case "seccomp":
                switch value {
                case "unconfined": result.seccomp = .unconfined
                case "", "builtin": result.seccomp = .default
                default: result.seccomp = .profile(value)
                }
            case "no-new-privileges":
                guard let flag = parseBool(value) else { throw .invalidSecurityOpt(option) }
                result.noNewPrivileges = flag
            case "systempaths":
                guard value == "unconfined" else { throw .invalidSecurityOpt(option) }
                result.unconfinedSystemPaths = true
            case "writable-cgroups":
                guard let flag = parseBool(value) else { throw .invalidSecurityOpt(option) }
                result.writableCgroups = flag
            default:
                throw .invalidSecurityOpt(option)
            }
        }
        return result
    }

    /// Go's strconv.ParseBool.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: return nil
        }
    }
}
