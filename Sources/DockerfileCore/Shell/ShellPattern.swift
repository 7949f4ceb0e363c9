/// A shell wildcard pattern of `${V#p}`, `${V%p}` and `${V/p/r}`: `*`, `?`, and `\` escaping
/// `*`, `?`, `\` (and `}` `/`, which only end the pattern). Matched as docker's regular
/// expression translation matches it (leftmost, then greedy or lazy stars; `.` stops at newlines).
struct ShellPattern {
    private enum Token: Equatable {
        case literal(Unicode.Scalar)
        case any
        case star
    }

    private let tokens: [Token]

    init(_ pattern: String) throws(ShellError) {
        var tokens: [Token] = []
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let ch = scalars[index]
            index += 1
            switch ch {
            case "*": tokens.append(.star)
            case "?": tokens.append(.any)
            case "\\":
                if index < scalars.count, scalars[index] == "}" || scalars[index] == "/" { continue }
                guard index < scalars.count, "*?\\".unicodeScalars.contains(scalars[index]) else {
                    let shown = index < scalars.count ? String(scalars[index]) : ""
                    throw ShellError("invalid pattern (\(pattern)) in substitution: invalid escape '\\\(shown)'")
                }
                tokens.append(.literal(scalars[index]))
                index += 1
            default: tokens.append(.literal(ch))
            }
        }
        self.tokens = tokens
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    /// The end of the preferred match of the tokens from `start` in `value`, if any.
    private func matchEnd(_ value: [Unicode.Scalar], from start: Int, greedy: Bool) -> Int? {
        // States that cannot match are remembered, so stars cost O(tokens × length), not exponential time.
        var failed = Set<Int>()
        func match(_ tokenIndex: Int, _ position: Int) -> Int? {
            let state = tokenIndex * (value.count + 1) + position
            if failed.contains(state) { return nil }
            let result = step(tokenIndex, position)
            if result == nil { failed.insert(state) }
            return result
        }
        func step(_ tokenIndex: Int, _ position: Int) -> Int? {
            guard tokenIndex < tokens.count else { return position }
            switch tokens[tokenIndex] {
            case .literal(let ch):
                guard position < value.count, value[position] == ch else { return nil }
                return match(tokenIndex + 1, position + 1)
            case .any:
                guard position < value.count, value[position] != "\n" else { return nil }
                return match(tokenIndex + 1, position + 1)
            case .star:
                var longest = position
                while longest < value.count, value[longest] != "\n" { longest += 1 }
                let lengths = greedy ? Array(stride(from: longest, through: position, by: -1)) : Array(position...longest)
                for end in lengths {
                    if let found = match(tokenIndex + 1, end) { return found }
                }
                return nil
            }
        }
        return match(0, start)
    }

    /// `${V#p}` / `${V##p}`: the value without its shortest/longest matching prefix.
    func trimPrefix(of value: String, greedy: Bool) -> String {
        let scalars = Array(value.unicodeScalars)
        guard let end = matchEnd(scalars, from: 0, greedy: greedy) else { return value }
        return String(String.UnicodeScalarView(scalars[end...]))
    }

    /// `${V%p}` / `${V%%p}`: the value without its shortest/longest matching suffix
    /// (docker reverses pattern and value and trims a prefix).
    func trimSuffix(of value: String, greedy: Bool) -> String {
        let reversed = ShellPattern(tokens: tokens.reversed())
        let scalars = Array(value.unicodeScalars.reversed())
        guard let end = reversed.matchEnd(scalars, from: 0, greedy: greedy) else { return value }
        return String(String.UnicodeScalarView(scalars[end...].reversed()))
    }

    /// `${V/p/r}` and `${V//p/r}`: replace the first (or every) leftmost-longest match.
    func replace(in value: String, with replacement: String, all: Bool) -> String {
        let scalars = Array(value.unicodeScalars)
        var output = String.UnicodeScalarView()
        var lastEnd = 0
        var search = 0
        while search <= scalars.count {
            var found: (Int, Int)?
            for start in search...scalars.count {
                if let end = matchEnd(scalars, from: start, greedy: true) {
                    found = (start, end)
                    break
                }
            }
            guard let (start, end) = found else { break }
            output.append(contentsOf: scalars[lastEnd..<start])
            if end > lastEnd || start == 0 {
                output.append(contentsOf: replacement.unicodeScalars)
            }
            lastEnd = end
            if !all { break }
            search = max(search + 1, end)
        }
        output.append(contentsOf: scalars[lastEnd...])
        return String(output)
    }
}
