/// One instruction as docker's parser reads it, before it is typed: keyword, flags, arguments
/// split the way that instruction splits them, heredocs and lines. `berth dockerfile parse` prints these.
public struct DockerfileNode: Sendable, Equatable {
    /// The keyword as written (`RUN`, `run`, `Run`).
    public var keyword: String
    /// `--name=value` flags before the arguments, quotes and escapes removed.
    public var flags: [String]
    /// The arguments, split per instruction.
    public var arguments: NodeArguments
    /// True when the arguments were a valid JSON array (exec form).
    public var isJSON: Bool
    /// Heredoc bodies that follow the instruction, in order.
    public var heredocs: [Heredoc]
    /// The logical line (continuations joined) as the parser saw it.
    public var original: String
    /// Lines the instruction spans, heredoc bodies included.
    public var lines: SourceLines
    /// Comment lines directly above the instruction (without `#`).
    public var comments: [String]

    /// Creates a node.
    public init(
        keyword: String, flags: [String] = [], arguments: NodeArguments = .none, isJSON: Bool = false,
        heredocs: [Heredoc] = [], original: String = "", lines: SourceLines = SourceLines(start: 0, end: 0),
        comments: [String] = []
    ) {
        self.keyword = keyword
        self.flags = flags
        self.arguments = arguments
        self.isJSON = isJSON
        self.heredocs = heredocs
        self.original = original
        self.lines = lines
        self.comments = comments
    }

    /// The keyword in lower case (`run`), as docker's dispatch table keys it.
    public var command: String { keyword.lowercased() }
}

/// An instruction's arguments as docker's line parsers split them.
public indirect enum NodeArguments: Sendable, Equatable {
    /// No arguments.
    case none
    /// Words: JSON-form items, whitespace-separated words, or one string (shell form, USER, WORKDIR…).
    case words([String])
    /// ENV and LABEL pairs.
    case keyValues([KeyValue])
    /// ONBUILD's trigger.
    case instruction(DockerfileNode)

    /// The flat argument list docker's instruction parser works on (ENV pairs become
    /// key, value, separator triples; ONBUILD becomes the trigger's keyword then its arguments).
    public var flattened: [String] {
        switch self {
        case .none: return []
        case .words(let words): return words
        case .keyValues(let pairs): return pairs.flatMap { [$0.key, $0.value, $0.usesEquals ? "=" : ""] }
        case .instruction(let node): return [node.keyword] + node.arguments.flattened
        }
    }
}

/// A `key=value` (or legacy `key value`) pair of ENV or LABEL.
public struct KeyValue: Sendable, Equatable, Hashable, Codable {
    /// The name.
    public var key: String
    /// The value, quotes still in place until expansion.
    public var value: String
    /// True for `k=v`, false for the legacy `ENV k v` form.
    public var usesEquals: Bool

    /// Creates a pair.
    public init(key: String, value: String, usesEquals: Bool = true) {
        self.key = key
        self.value = value
        self.usesEquals = usesEquals
    }

    /// `key=value`, as docker writes it into history.
    public var assignment: String { key + "=" + value }
}

/// A heredoc attached to an instruction (`RUN <<EOF … EOF`).
public struct Heredoc: Sendable, Equatable, Hashable, Codable {
    /// The delimiter word, quotes removed.
    public var name: String
    /// The file descriptor before `<<` (`3<<EOF`), 0 when absent.
    public var fileDescriptor: Int
    /// False when the delimiter was quoted: the body is taken literally.
    public var expand: Bool
    /// True for `<<-`: leading tabs are stripped from the body.
    public var chomp: Bool
    /// The body, each line with its newline, terminator excluded.
    public var content: String

    /// Creates a heredoc.
    public init(name: String, fileDescriptor: Int = 0, expand: Bool = true, chomp: Bool = false, content: String = "") {
        self.name = name
        self.fileDescriptor = fileDescriptor
        self.expand = expand
        self.chomp = chomp
        self.content = content
    }
}

/// A parsed Dockerfile: its directives, escape character, and instruction nodes in order.
public struct Dockerfile: Sendable, Equatable {
    /// Parser directives found at the top (`syntax`, `escape`, `check`), lower-cased names.
    public var directives: [ParserDirective]
    /// The escape character in force (`\` or `` ` ``).
    public var escapeToken: Character
    /// The instructions.
    public var nodes: [DockerfileNode]
    /// Non-fatal notes docker prints (empty continuation lines).
    public var warnings: [String]

    /// Creates a parse result.
    public init(directives: [ParserDirective] = [], escapeToken: Character = "\\", nodes: [DockerfileNode] = [], warnings: [String] = []) {
        self.directives = directives
        self.escapeToken = escapeToken
        self.nodes = nodes
        self.warnings = warnings
    }
}

/// A parser directive (`# syntax=docker/dockerfile:1`).
public struct ParserDirective: Sendable, Equatable, Hashable, Codable {
    /// `syntax`, `escape` or `check`.
    public var name: String
    /// The value, surrounding spaces removed.
    public var value: String
    /// The line it is on.
    public var line: Int

    /// Creates a directive.
    public init(name: String, value: String, line: Int) {
        self.name = name
        self.value = value
        self.line = line
    }
}
