import Glibc

/// Everything that can go wrong in the runtime, with the context a user needs.
public enum RuntimeError: Error, CustomStringConvertible, Equatable {
    /// config.json is malformed or inconsistent at `path` (a JSON path like `process.user.uid`).
    case invalidConfig(path: String, message: String)
    /// The container ID is unusable.
    case invalidID(String, reason: String)
    /// A container with this ID exists already.
    case exists(String)
    /// No container with this ID.
    case notFound(String)
    /// The operation does not fit the container's status.
    case wrongState(id: String, status: String, operation: String)
    /// A system call or file operation failed.
    case system(operation: String, path: String?, errno: Int32)
    /// The container's setup failed in the child at `step`.
    case setupFailed(step: String, errno: Int32)
    /// A hook failed.
    case hookFailed(kind: String, path: String, reason: String)
    /// Anything else, already phrased for the user.
    case message(String)

    public var description: String {
        switch self {
        case let .invalidConfig(path, message): return "\(path): \(message)"
        case let .invalidID(id, reason): return "invalid container id \"\(id)\": \(reason)"
        case let .exists(id): return "container with id \"\(id)\" already exists"
        case let .notFound(id): return "container \"\(id)\" does not exist"
        case let .wrongState(id, status, operation): return "cannot \(operation) container \"\(id)\": it is \(status)"
        case let .system(operation, path, errno):
            return "\(operation)\(path.map { " \($0)" } ?? ""): \(String(cString: strerror(errno)))"
        case let .setupFailed(step, errno):
            if errno >= 2000 { return "\(step): killed by signal \(errno - 2000)" }
            if errno >= 1000 { return "\(step): exited with status \(errno - 1000)" }
            return "container setup failed: \(step): \(String(cString: strerror(errno)))"
        case let .hookFailed(kind, path, reason): return "\(kind) hook \(path) failed: \(reason)"
        case let .message(text): return text
        }
    }

    /// The error for the current errno.
    static func errno(_ operation: String, _ path: String? = nil) -> RuntimeError {
        .system(operation: operation, path: path, errno: Glibc.errno)
    }
}
