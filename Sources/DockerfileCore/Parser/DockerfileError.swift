/// A problem in a Dockerfile, with the lines it was found on; rendered once at the edge
/// as docker does: `Dockerfile:7: unknown instruction: FORM`.
public struct DockerfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is (for callers that branch on it; the message says the rest).
    public enum Kind: String, Sendable, Equatable, Codable {
        /// A line that does not parse: bad directive, JSON, quoting, `FROM` arguments.
        case syntax
        /// An instruction keyword docker does not know.
        case unknownInstruction
        /// An unknown, duplicate or malformed `--flag`.
        case flag
        /// A heredoc without its terminator, or in a place that cannot take one.
        case heredoc
        /// Too few or too many arguments, or an argument of the wrong shape.
        case arguments
        /// A variable expansion that failed (`${V:?message}`, bad substitution).
        case expansion
        /// A stage problem: unknown `--target` or `--from`, a stage used before it is defined.
        case stage
        /// An instruction before the first FROM, or an empty Dockerfile.
        case structure
    }

    /// The kind of problem.
    public var kind: Kind
    /// What is wrong, as docker words it.
    public var message: String
    /// First line of the instruction (1-based), when known.
    public var line: Int?
    /// Last line of the instruction, when it spans several.
    public var endLine: Int?
    /// The file's name as the user gave it, used only in `description`.
    public var file: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, line: Int? = nil, endLine: Int? = nil, file: String = "Dockerfile") {
        self.kind = kind
        self.message = message
        self.line = line
        self.endLine = endLine
        self.file = file
    }

    /// `Dockerfile:7: message`, or `Dockerfile: message` without a line.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// The same error placed on lines (kept if it already has them).
    public func at(_ lines: SourceLines) -> DockerfileError {
        var copy = self
        if copy.line == nil {
            copy.line = lines.start
            copy.endLine = lines.end
        }
        return copy
    }

    /// The same error naming another file.
    public func inFile(_ name: String) -> DockerfileError {
        var copy = self
        copy.file = name
        return copy
    }
}

/// The lines of the Dockerfile an instruction spans, 1-based and inclusive.
public struct SourceLines: Sendable, Equatable, Hashable, Codable {
    /// First line.
    public var start: Int
    /// Last line (heredoc bodies and continuations included).
    public var end: Int

    /// Creates a line range.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}
