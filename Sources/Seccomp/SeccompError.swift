/// A `linux.seccomp` section that cannot be compiled, naming the JSON field at fault.
///
/// Rendered as `linux.seccomp.syscalls[3].args[0].op: unknown operator "SCMP_CMP_XX"`.
public struct SeccompError: Error, CustomStringConvertible, Sendable, Equatable {
    /// JSON path of the offending field, e.g. `linux.seccomp.syscalls[3].args[0].op`.
    public var path: String
    /// What is wrong with that field.
    public var reason: String

    /// Creates an error for the field at `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`, the message a user sees.
    public var description: String { "\(path): \(reason)" }
}
