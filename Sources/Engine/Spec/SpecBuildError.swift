/// Why a container's definition cannot become a runtime spec. Each case names the offending
/// field and value; `description` uses docker's words where docker has words.
/// All of them are the client's fault (HTTP 400) except `userFilesUnreadable` (500).
public enum SpecBuildError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither Entrypoint nor Cmd (merged with the image's) names a program.
    case noCommand
    /// `-u NAME` with no such user in the image's /etc/passwd.
    case unknownUser(String)
    /// `-u x:GROUP` with no such group in the image's /etc/group.
    case unknownGroup(String)
    /// `--group-add GROUP` with no such group in the image's /etc/group.
    case unknownAdditionalGroup(String)
    /// A numeric uid or gid outside 0...2^31-1.
    case idOutOfRange(String)
    /// The image's /etc/passwd or /etc/group exists but cannot be read.
    case userFilesUnreadable(path: String, reason: String)
    /// `--cap-add`/`--cap-drop` names no capability this kernel knows.
    case unknownCapability(String)
    /// `--ulimit NAME=…` with an unknown name.
    case invalidUlimitName(String)
    /// `--ulimit` with soft above hard, or a negative value other than -1.
    case invalidUlimitValue(name: String, soft: Int64, hard: Int64)
    /// One option of a tmpfs mount's option string.
    case invalidTmpfsOption(destination: String, option: String)
    /// A mount destination that is not absolute, or is "/".
    case invalidMountDestination(String)
    /// Two user mounts at the same destination.
    case duplicateMountDestination(String)
    /// `--cpuset-cpus`/`--cpuset-mems` that is not a list like "0-3,7".
    case invalidCpuset(field: String, value: String)
    /// A resource value docker refuses (field name in docker's API spelling, and why).
    case invalidResource(field: String, reason: String)
    /// `--security-opt` docker does not know.
    case invalidSecurityOpt(String)
    /// A seccomp profile that cannot be parsed or used.
    case invalidSeccompProfile(String)
    /// `WorkingDir` that is not an absolute path.
    case invalidWorkingDir(String)
    /// `--init` was asked for but the engine has no init binary.
    case initUnavailable
    /// A namespace mode (`--pid`, `--ipc`, `--uts`, `--cgroupns`) Berth does not support.
    case unsupportedMode(field: String, value: String)
    /// `--device` the engine could not resolve.
    case invalidDevice(path: String, reason: String)
    /// The finished spec failed OCI validation (a bug, or a sysctl the namespaces forbid).
    case invalidSpec(String)

    /// The message the user sees.
    public var description: String {
        switch self {
        case .noCommand:
            return "no command specified"
        case .unknownUser(let name):
            return "unable to find user \(name): no matching entries in passwd file"
        case .unknownGroup(let name):
            return "unable to find group \(name): no matching entries in group file"
        case .unknownAdditionalGroup(let name):
            return "Unable to find group \(name)"
        case .idOutOfRange(let value):
            return "uids and gids must be in range 0-2147483647: \(value)"
        case .userFilesUnreadable(let path, let reason):
            return "cannot read \(path) in the container's root filesystem: \(reason)"
        case .unknownCapability(let name):
            return "unknown capability: \"\(name)\""
        case .invalidUlimitName(let name):
            return "invalid ulimit type: \(name)"
        case .invalidUlimitValue(let name, let soft, let hard):
            if soft > hard { return "ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard) (\(name))" }
            return "invalid ulimit value for \(name): \(soft):\(hard)"
        case .invalidTmpfsOption(let destination, let option):
            return "invalid tmpfs option \"\(option)\" for \(destination)"
        case .invalidMountDestination(let destination):
            return "invalid mount config: destination \"\(destination)\" must be an absolute path other than \"/\""
        case .duplicateMountDestination(let destination):
            return "Duplicate mount point: \(destination)"
        case .invalidCpuset(let field, let value):
            return "Invalid value \(value) for \(field)"
        case .invalidResource(_, let reason):
            return reason
        case .invalidSecurityOpt(let option):
            return "invalid --security-opt: \"\(option)\""
        case .invalidSeccompProfile(let reason):
            return "Error loading seccomp profile: \(reason)"
        case .invalidWorkingDir(let dir):
            return "the working directory '\(dir)' is invalid, it needs to be an absolute path"
        case .initUnavailable:
            return "--init was requested but no init binary is configured"
        case .unsupportedMode(let field, let value):
            return "\(field) \"\(value)\" is not supported"
        case .invalidDevice(let path, let reason):
            return "error gathering device information while adding custom device \"\(path)\": \(reason)"
        case .invalidSpec(let reason):
            return "invalid runtime spec: \(reason)"
        }
    }
}
