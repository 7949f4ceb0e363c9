import Glibc

/// Everything that can go wrong while discovering, creating, configuring or
/// removing a container's cgroup. Each case names the file and value involved.
public enum CgroupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Writing `value` to the cgroup file at `path` failed with `errno`.
    case write(controller: String, path: String, value: String, errno: Int32)
    /// Reading the cgroup file at `path` failed with `errno`.
    case read(controller: String, path: String, errno: Int32)
    /// A cgroup file held something this code cannot parse.
    case parse(path: String, content: String)
    /// Creating a cgroup directory failed.
    case mkdir(path: String, errno: Int32)
    /// Removing a cgroup directory failed (EBUSY after retries: processes still inside).
    case rmdir(path: String, errno: Int32)
    /// /proc/self/mountinfo or /proc/self/cgroup could not be read or made sense of.
    case discovery(path: String, reason: String)
    /// The container's `cgroupsPath` (or its ID) cannot be used.
    case invalidPath(String, reason: String)
    /// A resource value in the OCI config is out of range or inconsistent.
    case invalidValue(field: String, value: String, reason: String)
    /// The host has no hierarchy that can carry the requested setting.
    case unsupported(controller: String, reason: String)
    /// The freezer did not reach `wanted` in time; it was left in `state`.
    case freezeTimeout(path: String, wanted: String, state: String)
    /// kill(2) of a process in the cgroup failed (other than "no such process").
    case signal(pid: Int32, signal: Int32, errno: Int32)
    /// A bpf(2) step of the v2 device filter failed; `log` is the verifier's output, if any.
    case bpf(operation: String, path: String, errno: Int32, log: String)

    /// The message shown to the user: controller, file, value and the system error.
    public var description: String {
        switch self {
        case let .write(controller, path, value, errno):
            return "cgroup \(controller): writing \"\(value)\" to \(path): \(Self.message(errno))"
        case let .read(controller, path, errno):
            return "cgroup \(controller): reading \(path): \(Self.message(errno))"
        case let .parse(path, content):
            return "cgroup: cannot parse \(path): \"\(content.prefix(200))\""
        case let .mkdir(path, errno):
            return "cgroup: creating directory \(path): \(Self.message(errno))"
        case let .rmdir(path, errno):
            return "cgroup: removing directory \(path): \(Self.message(errno))"
        case let .discovery(path, reason):
            return "cgroup: discovering hierarchies from \(path): \(reason)"
        case let .invalidPath(path, reason):
            return "cgroup: invalid cgroupsPath \"\(path)\": \(reason)"
        case let .invalidValue(field, value, reason):
            return "cgroup: linux.resources.\(field) = \(value): \(reason)"
        case let .unsupported(controller, reason):
            return "cgroup \(controller): \(reason)"
        case let .freezeTimeout(path, wanted, state):
            return "cgroup freezer: \(path) did not become \(wanted) in time (state \(state))"
        case let .signal(pid, signal, errno):
            return "cgroup: sending signal \(signal) to process \(pid): \(Self.message(errno))"
        case let .bpf(operation, path, errno, log):
            let tail = log.isEmpty ? "" : "\nverifier log:\n\(log)"
            return "cgroup devices: \(operation) for \(path): \(Self.message(errno))\(tail)"
        }
    }

    /// The errno this error carries, if any (ENOENT, EBUSY, ...).
    public var errno: Int32? {
        switch self {
        case let .write(_, _, _, e), let .read(_, _, e), let .mkdir(_, e), let .rmdir(_, e), let .bpf(_, _, e, _),
             let .signal(_, _, e):
            return e
        default:
            return nil
        }
    }

    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
