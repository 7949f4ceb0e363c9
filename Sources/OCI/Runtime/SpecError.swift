/// A problem in a runtime configuration, located by its JSON path (e.g. `linux.namespaces[2].type`).
///
/// `description` reads `path: message`, or just `message` when the problem is the document itself.
public struct SpecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where the problem is, in dotted JSON notation with `[n]` for array elements; empty for the whole document.
    public var path: String
    /// What is wrong there.
    public var message: String

    /// Creates an error at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The message the user sees.
    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}
