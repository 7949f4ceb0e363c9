/// The syntax tree and parser of the Go `text/template` subset docker users write:
/// fields (`.A.B`), variables, literals, function calls and pipelines,
/// `if`/`else if`/`else`, `range` (with `$i, $v :=`), `with`, and `{{-`/`-}}` trimming.

/// A parse or execution failure, worded like Go's template errors.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True for a syntax error (docker prefixes those with `template parsing error:`).
    public var isParseError: Bool
    public init(_ message: String, parse: Bool = false) { self.message = message; isParseError = parse }
    public var description: String { "template: :1: " + message }
}

indirect enum TemplateNode: Sendable {
    case text(String)
    case action(Pipeline)
    case ifNode(Pipeline, [TemplateNode], [TemplateNode])
    case rangeNode(Pipeline, [TemplateNode], [TemplateNode])
    case withNode(Pipeline, [TemplateNode], [TemplateNode])
}

struct Pipeline: Sendable {
    var declarations: [String] = []
    var commands: [[Operand]]
}

indirect enum Operand: Sendable {
    /// `.`, `.A.B` (empty path is dot).
    case field([String])
    /// `$`, `$x.A`.
    case variable(String, [String])
    case literal(TemplateValue)
    case function(String)
    /// `(pipeline).A`.
    case sub(Pipeline, [String])
}

/// Tokens inside `{{ }}`.
enum TemplateToken: Equatable {
    case field([String]), variable(String, [String]), string(String), number(String), identifier(String)
    case pipe, leftParen, rightParen, declare, comma, fieldChain([String])
}

struct TemplateParser {
    private var source: [Character]
    private var position = 0

    init(_ text: String) { source = Array(text) }

    /// Parses the whole template.
    mutating func parse() throws -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        if let terminator { throw TemplateError("unexpected {{\(terminator)}}") }
        return nodes
    }

    /// Parses until `{{end}}`/`{{else…}}` (returned as the terminator) or the end of input.
    private mutating func parseList() throws -> ([TemplateNode], String?) {
        var nodes: [TemplateNode] = []
        while position < source.count {
            let open = find("{{", from: position)
            var text = String(source[position..<(open ?? source.count)])
            guard let open else { nodes.append(.text(text)); position = source.count; break }
            var inner = open + 2
            if inner < source.count, source[inner] == "-", inner + 1 < source.count, source[inner + 1].isWhitespace {
                text = String(text.reversed().drop(while: \.isWhitespace).reversed())
                inner += 1
            }
            if !text.isEmpty { nodes.append(.text(text)) }
            guard let close = find("}}", from: inner) else { throw TemplateError("unclosed action") }
            var body = String(source[inner..<close])
            position = close + 2
            if body.hasSuffix("-"), body.dropLast().last?.isWhitespace == true {
                body.removeLast()
                while position < source.count, source[position].isWhitespace { position += 1 }
            }
            body = body.trimmingCharacters(in: " \t\n\r")
            if body.hasPrefix("/*") { continue }
            let keyword = body.prefix { $0.isLetter }
            switch keyword {
            case "end":
                return (nodes, "end")
            case "else":
                return (nodes, body)
            case "if", "range", "with":
                let pipeline = try parsePipeline(String(body.dropFirst(keyword.count)))
                let (then, terminator) = try parseList()
                var otherwise: [TemplateNode] = []
                guard let terminator else { throw TemplateError("unexpected EOF in \(keyword)") }
                if terminator.hasPrefix("else") {
                    let rest = terminator.dropFirst(4).trimmingCharacters(in: " \t\n")
                    if rest.hasPrefix("if ") {
                        // `else if` nests an `if` that shares our `end`.
                        let nested = try parsePipeline(String(rest.dropFirst(2)))
                        let (nestedThen, nestedEnd) = try parseList()
                        var nestedElse: [TemplateNode] = []
                        if let nestedEnd, nestedEnd.hasPrefix("else") {
                            let (list, end) = try parseList()
                            guard end == "end" else { throw TemplateError("expected end") }
                            nestedElse = list
                        } else if nestedEnd != "end" { throw TemplateError("unexpected EOF in else if") }
                        otherwise = [.ifNode(nested, nestedThen, nestedElse)]
                    } else {
                        let (list, end) = try parseList()
                        guard end == "end" else { throw TemplateError("unexpected EOF in \(keyword)") }
                        otherwise = list
                    }
                }
                switch keyword {
                case "if": nodes.append(.ifNode(pipeline, then, otherwise))
                case "range": nodes.append(.rangeNode(pipeline, then, otherwise))
                default: nodes.append(.withNode(pipeline, then, otherwise))
                }
            default:
                nodes.append(.action(try parsePipeline(body)))
            }
        }
        return (nodes, nil)
    }

    private func find(_ needle: String, from: Int) -> Int? {
        let n = Array(needle)
        var i = from
        var inString = false
        while i + n.count <= source.count {
            if needle == "}}" {
                if source[i] == "\"" { inString.toggle() }
                if inString, source[i] == "\\" { i += 2; continue }
            }
            if !inString, Array(source[i..<i + n.count]) == n { return i }
            i += 1
        }
        return nil
    }

    // MARK: Pipelines

    private func parsePipeline(_ text: String) throws -> Pipeline {
        var tokens = try Self.tokenize(text)
        var declarations: [String] = []
        if let declareAt = tokens.firstIndex(of: .declare) {
            for token in tokens[..<declareAt] {
                switch token {
                case .variable(let name, let path) where path.isEmpty: declarations.append(name)
                case .comma: break
                default: throw TemplateError("bad variable declaration in \"\(text)\"")
                }
            }
            tokens.removeSubrange(...declareAt)
        }
        var index = 0
        let pipeline = try Self.pipeline(tokens, &index, text)
        guard index == tokens.count else { throw TemplateError("unexpected \")\" in \"\(text)\"") }
        return Pipeline(declarations: declarations, commands: pipeline.commands)
    }

    private static func pipeline(_ tokens: [TemplateToken], _ index: inout Int, _ text: String) throws -> Pipeline {
        var commands: [[Operand]] = [[]]
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .pipe:
                guard !commands[commands.count - 1].isEmpty else { throw TemplateError("missing command before | in \"\(text)\"") }
                commands.append([])
            case .rightParen:
                index -= 1
                return Pipeline(commands: commands)
            case .leftParen:
                let inner = try pipeline(tokens, &index, text)
                guard index < tokens.count, tokens[index] == .rightParen else { throw TemplateError("unclosed ( in \"\(text)\"") }
                index += 1
                var path: [String] = []
                if index < tokens.count, case .fieldChain(let chain) = tokens[index] { path = chain; index += 1 }
                commands[commands.count - 1].append(.sub(inner, path))
            case .field(let path): commands[commands.count - 1].append(.field(path))
            case .variable(let name, let path): commands[commands.count - 1].append(.variable(name, path))
            case .string(let s): commands[commands.count - 1].append(.literal(.string(s)))
            case .number(let n):
                if let i = Int64(n) { commands[commands.count - 1].append(.literal(.int(i))) }
                else if let d = Double(n) { commands[commands.count - 1].append(.literal(.double(d))) }
                else { throw TemplateError("bad number \(n)") }
            case .identifier(let name):
                switch name {
                case "true": commands[commands.count - 1].append(.literal(.bool(true)))
                case "false": commands[commands.count - 1].append(.literal(.bool(false)))
                case "nil": commands[commands.count - 1].append(.literal(.null))
                default: commands[commands.count - 1].append(.function(name))
                }
            case .fieldChain(let path): commands[commands.count - 1].append(.field(path))
            case .declare, .comma: throw TemplateError("unexpected token in \"\(text)\"")
            }
        }
        guard !commands[commands.count - 1].isEmpty else { throw TemplateError("missing value for command in \"\(text)\"") }
        return Pipeline(commands: commands)
    }

    static func tokenize(_ text: String) throws -> [TemplateToken] {
        let chars = Array(text)
        var tokens: [TemplateToken] = []
        var i = 0
        func identifierChars(from start: Int) -> Int {
            var j = start
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
            return j
        }
        func fieldPath(from start: Int) -> ([String], Int) {
            var path: [String] = []
            var j = start
            while j < chars.count, chars[j] == "." {
                let end = identifierChars(from: j + 1)
                if end == j + 1 { break }
                path.append(String(chars[j + 1..<end]))
                j = end
            }
            return (path, j)
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "|": tokens.append(.pipe); i += 1
            case "(": tokens.append(.leftParen); i += 1
            case ")":
                tokens.append(.rightParen); i += 1
                if i < chars.count, chars[i] == "." {
                    let (path, end) = fieldPath(from: i)
                    tokens.append(.fieldChain(path)); i = end
                }
            case ",": tokens.append(.comma); i += 1
            case ":":
                guard i + 1 < chars.count, chars[i + 1] == "=" else { throw TemplateError("unexpected \":\" in \"\(text)\"") }
                tokens.append(.declare); i += 2
            case "=":
                tokens.append(.declare); i += 1
            case ".":
                let (path, end) = fieldPath(from: i)
                if path.isEmpty { tokens.append(.field([])); i += 1 } else { tokens.append(.field(path)); i = end }
            case "$":
                let end = identifierChars(from: i + 1)
                let name = String(chars[i..<end])
                let (path, after) = fieldPath(from: end)
                tokens.append(.variable(name, path)); i = after
            case "\"", "`":
                var j = i + 1
                var value = ""
                while j < chars.count, chars[j] != c {
                    if c == "\"", chars[j] == "\\", j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        default: value.append(chars[j])
                        }
                    } else {
                        value.append(chars[j])
                    }
                    j += 1
                }
                guard j < chars.count else { throw TemplateError("unterminated quoted string in \"\(text)\"") }
                tokens.append(.string(value)); i = j + 1
            default:
                if c.isNumber || c == "-" || c == "+" {
                    var j = i + 1
                    while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "e" { j += 1 }
                    tokens.append(.number(String(chars[i..<j]))); i = j
                } else if c.isLetter || c == "_" {
                    let end = identifierChars(from: i)
                    tokens.append(.identifier(String(chars[i..<end]))); i = end
                } else {
                    throw TemplateError("unexpected \"\(c)\" in \"\(text)\"")
                }
            }
        }
        return tokens
    }
}
