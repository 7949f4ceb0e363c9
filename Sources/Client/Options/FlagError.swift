/// A bad flag value, worded as docker words it:
/// `invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'`.
public struct FlagError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// True for errors docker reports after parsing (`docker: invalid hostPort: 99999`), without the usage line.
    public var isRuntime: Bool

    public init(_ message: String, runtime: Bool = false) { description = message; isRuntime = runtime }

    /// `invalid argument "<value>" for "<flag>" flag: <reason>`.
    public static func invalid(_ value: String, flag: String, _ reason: String) -> FlagError {
        FlagError("invalid argument \"\(value)\" for \"\(flag)\" flag: \(reason)")
    }
}
