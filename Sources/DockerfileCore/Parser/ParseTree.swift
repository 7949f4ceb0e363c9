#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON form of a parsed Dockerfile that `berth dockerfile parse --format json` prints
/// (shape documented in docs/builder.md).
public struct ParseTree: Encodable, Sendable, Equatable {
    /// Parser directives at the top.
    public var directives: [ParserDirective]
    /// The escape character.
    public var escapeToken: String
    /// One entry per instruction.
    public var instructions: [Node]
    /// Warnings (empty continuation lines).
    public var warnings: [String]

    /// One instruction.
    public struct Node: Encodable, Sendable, Equatable {
        /// Lower-case keyword.
        public var keyword: String
        /// `--flag=value` words.
        public var flags: [String]
        /// Arguments as docker splits them (JSON-form items, words, or the one shell-form string).
        public var arguments: [String]?
        /// ENV/LABEL pairs.
        public var keyValues: [KeyValue]?
        /// ONBUILD's trigger.
        public var trigger: Box?
        /// True for the exec (JSON) form.
        public var json: Bool
        /// Heredocs with their bodies.
        public var heredocs: [Heredoc]
        /// First line.
        public var startLine: Int
        /// Last line.
        public var endLine: Int

        init(_ node: DockerfileNode) {
            keyword = node.command
            flags = node.flags
            json = node.isJSON
            heredocs = node.heredocs
            startLine = node.lines.start
            endLine = node.lines.end
            switch node.arguments {
            case .none: arguments = []
            case .words(let words): arguments = words
            case .keyValues(let pairs): keyValues = pairs
            case .instruction(let trigger): self.trigger = Box(Node(trigger))
            }
        }
    }

    /// Indirection for ONBUILD's nested node.
    public final class Box: Encodable, Sendable, Equatable {
        /// The nested node.
        public let node: Node
        init(_ node: Node) { self.node = node }
        /// Encodes as the node itself.
        public func encode(to encoder: any Encoder) throws { try node.encode(to: encoder) }
        /// Compares the nodes.
        public static func == (lhs: Box, rhs: Box) -> Bool { lhs.node == rhs.node }
    }

    /// The tree of a parsed Dockerfile.
    public init(_ dockerfile: Dockerfile) {
        directives = dockerfile.directives
        escapeToken = String(dockerfile.escapeToken)
        instructions = dockerfile.nodes.map(Node.init)
        warnings = dockerfile.warnings
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
