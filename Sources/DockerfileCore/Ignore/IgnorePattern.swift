/// One `.dockerignore` pattern compiled as moby/patternmatcher compiles it: `*` and `?` stay within a
/// path component, `**` spans components, `[a-z]` classes, `\` escapes; exact, prefix (`dir/**`)
/// and suffix (`**/name`) patterns are compared as strings.
public struct IgnorePattern: Sendable, Equatable {
    /// The cleaned pattern, without `!`.
    public let text: String
    /// True for `!pattern`: re-include what earlier patterns excluded.
    public let isExclusion: Bool
    /// The pattern's path components.
    let components: [String]
    private let kind: Kind

    private enum Kind: Sendable, Equatable {
        case exact
        case prefix(String)
        case suffix(String)
        case tokens([Token])
    }

    private enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case componentStar
        case componentAny
        case anyStar
        case directories
        case characterClass(negated: Bool, items: [ClosedRange<UInt32>])
    }

    /// Compiles a cleaned pattern.
    init(text: String, isExclusion: Bool) throws(DockerfileError) {
        self.text = text
        self.isExclusion = isExclusion
        self.components = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var tokens: [Token] = []
        var detected = 0  // 0 exact, 1 prefix, 2 suffix, 3 regexp
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var iteration = 0
        while index < scalars.count {
            let ch = scalars[index]
            index += 1
            defer { iteration += 1 }
            switch ch {
            case "*":
                if index < scalars.count, scalars[index] == "*" {
                    index += 1
                    if index < scalars.count, scalars[index] == "/" { index += 1 }
                    if index == scalars.count {
                        if detected == 0 {
                            detected = 1
                        } else {
                            tokens.append(.anyStar)
                            detected = 3
                        }
                    } else {
                        tokens.append(.directories)
                        detected = 3
                    }
                    if iteration == 0 { detected = 2 }
                } else {
                    tokens.append(.componentStar)
                    detected = 3
                }
            case "?":
                tokens.append(.componentAny)
                detected = 3
            case "\\":
                if index < scalars.count {
                    tokens.append(.literal(scalars[index]))
                    index += 1
                    detected = 3
                } else {
                    tokens.append(.literal("\\"))
                }
            case "[":
                var negated = false
                if index < scalars.count, scalars[index] == "^" {
                    negated = true
                    index += 1
                }
                var items: [ClosedRange<UInt32>] = []
                var closed = false
                var first = true
                while index < scalars.count {
                    var item = scalars[index]
                    if item == "]" && !first {
                        index += 1
                        closed = true
                        break
                    }
                    first = false
                    index += 1
                    if item == "\\" {
                        guard index < scalars.count else { break }
                        item = scalars[index]
                        index += 1
                    }
                    if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] != "]" {
                        var upper = scalars[index + 1]
                        index += 2
                        if upper == "\\", index < scalars.count {
                            upper = scalars[index]
                            index += 1
                        }
                        guard item.value <= upper.value else { throw DockerfileError(.syntax, "syntax error in pattern: \(text)") }
                        items.append(item.value...upper.value)
                    } else {
                        items.append(item.value...item.value)
                    }
                }
                guard closed else { throw DockerfileError(.syntax, "syntax error in pattern: \(text)") }
                tokens.append(.characterClass(negated: negated, items: items))
                detected = 3
            case "]":
                throw DockerfileError(.syntax, "syntax error in pattern: \(text)")
            default:
                tokens.append(.literal(ch))
            }
        }
        switch detected {
        case 0: kind = .exact
        case 1: kind = .prefix(String(text.dropLast(2)))
        case 2: kind = .suffix(String(text.dropFirst(2)))
        default: kind = .tokens(tokens)
        }
    }

    /// True when the pattern matches the whole path (no parent logic).
    func matches(_ path: String) -> Bool {
        switch kind {
        case .exact: return path == text
        case .prefix(let prefix): return path.hasPrefix(prefix)
        case .suffix(let suffix):
            if path.hasSuffix(suffix) { return true }
            return suffix.hasPrefix("/") && path == String(suffix.dropFirst())
        case .tokens(let tokens):
            var matcher = TokenMatcher(tokens: tokens, path: Array(path.unicodeScalars))
            return matcher.match(0, 0)
        }
    }

    /// Backtracking over the tokens, remembering states that failed (O(tokens × length)).
    private struct TokenMatcher {
        let tokens: [Token]
        let path: [Unicode.Scalar]
        var failed = Set<Int>()

        mutating func match(_ tokenIndex: Int, _ position: Int) -> Bool {
            let state = tokenIndex * (path.count + 1) + position
            if failed.contains(state) { return false }
            let result = step(tokenIndex, position)
            if !result { failed.insert(state) }
            return result
        }

        private mutating func step(_ tokenIndex: Int, _ position: Int) -> Bool {
            guard tokenIndex < tokens.count else { return position == path.count }
            switch tokens[tokenIndex] {
            case .literal(let ch):
                return position < path.count && path[position] == ch && match(tokenIndex + 1, position + 1)
            case .componentAny:
                return position < path.count && path[position] != "/" && match(tokenIndex + 1, position + 1)
            case .characterClass(let negated, let items):
                guard position < path.count else { return false }
                let inClass = items.contains { $0.contains(path[position].value) }
                return inClass != negated && match(tokenIndex + 1, position + 1)
            case .componentStar:
                var end = position
                while true {
                    if match(tokenIndex + 1, end) { return true }
                    guard end < path.count, path[end] != "/" else { return false }
                    end += 1
                }
            case .anyStar:
                var end = position
                while true {
                    if match(tokenIndex + 1, end) { return true }
                    guard end < path.count, path[end] != "\n" else { return false }
                    end += 1
                }
            case .directories:
                if match(tokenIndex + 1, position) { return true }
                var end = position
                while end < path.count, path[end] != "\n" {
                    if path[end] == "/" && match(tokenIndex + 1, end + 1) { return true }
                    end += 1
                }
                return false
            }
        }
    }
}
