/// Docker's shell lexer (buildkit `shell.Lex`): quotes, escapes and `$VAR`/`${VAR…}` expansion
/// of Dockerfile words, and splitting into words after expansion. It never runs a shell.
public struct ShellLexer: Sendable {
    /// The escape character (`\` or `` ` ``).
    public var escapeToken: Unicode.Scalar
    /// Keep quote characters in the result (used to find quoted heredoc delimiters).
    public var rawQuotes = false
    /// Keep escape characters in the result.
    public var rawEscapes = false
    /// Treat quotes as ordinary characters (heredoc bodies).
    public var skipProcessQuotes = false
    /// Leave references to unset variables as written.
    public var skipUnsetEnv = false

    /// A lexer with an escape character.
    public init(escapeToken: Character = "\\") {
        self.escapeToken = escapeToken.unicodeScalars.first!
    }

    /// The result of expanding one word, with the variables it looked up.
    public struct Expansion: Sendable, Equatable {
        /// The expanded word (spaces between words kept).
        public var result: String
        /// The expanded word split into words.
        public var words: [String]
        /// Variables that were set.
        public var matched: Set<String>
        /// Variables that were looked up but unset.
        public var unmatched: Set<String>
    }

    /// Expands `word` into one string (docker's ProcessWord).
    public func processWord(_ word: String, environment: ShellEnvironment) throws(DockerfileError) -> String {
        try expand(word, environment: environment).result
    }

    /// Expands `word` and splits the result into words, quotes keeping spaces (docker's ProcessWords).
    public func processWords(_ word: String, environment: ShellEnvironment) throws(DockerfileError) -> [String] {
        try expand(word, environment: environment).words
    }

    /// Expands `word`, reporting both forms and the variables used.
    public func expand(_ word: String, environment: ShellEnvironment) throws(DockerfileError) -> Expansion {
        var scanner = ShellWordScanner(lexer: self, source: Array(word.unicodeScalars), environment: environment)
        do {
            let (result, words) = try scanner.processStopOn(nil, rawEscapes: rawEscapes)
            return Expansion(result: result, words: words, matched: scanner.matched, unmatched: scanner.unmatched)
        } catch {
            throw DockerfileError(.expansion, "failed to process \(goQuote(word)): \(error.message)")
        }
    }
}

/// A lexing failure before it is wrapped with the word it happened in.
struct ShellError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Collects words while scanning: unquoted whitespace from expansions separates words.
private struct WordCollector {
    var buffer = String.UnicodeScalarView()
    var words: [String] = []
    var inWord = false

    mutating func addChar(_ ch: Unicode.Scalar) {
        if isGoSpace(ch) {
            if inWord && !buffer.isEmpty {
                words.append(String(buffer))
                buffer = String.UnicodeScalarView()
                inWord = false
            }
        } else {
            addRawChar(ch)
        }
    }

    mutating func addRawChar(_ ch: Unicode.Scalar) {
        buffer.append(ch)
        inWord = true
    }

    mutating func addString(_ string: String) {
        for ch in string.unicodeScalars { addChar(ch) }
    }

    mutating func addRawString(_ string: String) {
        buffer.append(contentsOf: string.unicodeScalars)
        inWord = true
    }

    mutating func finish() -> [String] {
        if !buffer.isEmpty {
            words.append(String(buffer))
            buffer = String.UnicodeScalarView()
            inWord = false
        }
        return words
    }
}

/// Go's unicode.IsSpace.
func isGoSpace(_ ch: Unicode.Scalar) -> Bool {
    switch ch.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
    case 0...0xFF: return false
    default: return ch.properties.isWhitespace
    }
}

/// Go's unicode.IsLetter (general category L).
func isGoLetter(_ ch: Unicode.Scalar) -> Bool {
    switch ch.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
}

/// Go's unicode.IsDigit (general category Nd).
func isGoDigit(_ ch: Unicode.Scalar) -> Bool {
    ch.properties.generalCategory == .decimalNumber
}

/// The scanning state of one expansion (docker's shellWord).
private struct ShellWordScanner {
    let lexer: ShellLexer
    let source: [Unicode.Scalar]
    let environment: ShellEnvironment
    var position = 0
    var rawEscapes: Bool
    var matched: Set<String> = []
    var unmatched: Set<String> = []

    init(lexer: ShellLexer, source: [Unicode.Scalar], environment: ShellEnvironment) {
        self.lexer = lexer
        self.source = source
        self.environment = environment
        self.rawEscapes = lexer.rawEscapes
    }

    func peek() -> Unicode.Scalar? { position < source.count ? source[position] : nil }

    mutating func next() -> Unicode.Scalar? {
        guard position < source.count else { return nil }
        defer { position += 1 }
        return source[position]
    }

    mutating func processStopOn(_ stop: Unicode.Scalar?, rawEscapes: Bool) throws(ShellError) -> (String, [String]) {
        var result = String.UnicodeScalarView()
        var words = WordCollector()
        let saved = self.rawEscapes
        self.rawEscapes = rawEscapes
        defer { self.rawEscapes = saved }

        while let ch = peek() {
            if let stop, ch == stop {
                _ = next()
                return (String(result), words.finish())
            }
            let special: String?
            switch ch {
            case "$": special = try processDollar()
            case "<": special = processPossibleHeredoc()
            case "'" where !lexer.skipProcessQuotes: special = try processSingleQuote()
            case "\"" where !lexer.skipProcessQuotes: special = try processDoubleQuote()
            default: special = nil
            }
            if let special {
                result.append(contentsOf: special.unicodeScalars)
                if ch == "$" { words.addString(special) } else { words.addRawString(special) }
                continue
            }
            var current = next()!
            if current == lexer.escapeToken {
                if self.rawEscapes {
                    words.addRawChar(current)
                    result.append(current)
                }
                guard let escaped = next() else { break }
                current = escaped
                words.addRawChar(current)
            } else {
                words.addChar(current)
            }
            result.append(current)
        }
        if let stop {
            throw ShellError("unexpected end of statement while looking for matching \(Character(stop))")
        }
        return (String(result), words.finish())
    }

    mutating func processSingleQuote() throws(ShellError) -> String {
        var result = String.UnicodeScalarView()
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let ch = next() else {
                throw ShellError("unexpected end of statement while looking for matching single-quote")
            }
            if ch == "'" {
                if lexer.rawQuotes { result.append(ch) }
                return String(result)
            }
            result.append(ch)
        }
    }

    mutating func processDoubleQuote() throws(ShellError) -> String {
        var result = String.UnicodeScalarView()
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let ch = peek() else {
                throw ShellError("unexpected end of statement while looking for matching double-quote")
            }
            if ch == "\"" {
                _ = next()
                if lexer.rawQuotes { result.append(ch) }
                return String(result)
            }
            if ch == "$" {
                result.append(contentsOf: try processDollar().unicodeScalars)
                continue
            }
            var current = next()!
            if current == lexer.escapeToken {
                if rawEscapes { result.append(current) }
                guard let following = peek() else { continue }
                if following == "\"" || following == "$" || following == lexer.escapeToken {
                    current = next()!
                }
            }
            result.append(current)
        }
    }

    mutating func processPossibleHeredoc() -> String {
        _ = next()
        guard peek() == "<" else { return "<" }
        _ = next()
        var result = "<<"
        while let ch = peek(), ch == "\t" || ch == "\r" || ch == " " {
            result.unicodeScalars.append(ch)
            _ = next()
        }
        return result
    }

    mutating func lookup(_ name: String) -> String? {
        if let value = environment[name] {
            matched.insert(name)
            return value
        }
        unmatched.insert(name)
        return nil
    }

    mutating func processName() -> String {
        var name = String.UnicodeScalarView()
        while let ch = peek() {
            if name.isEmpty && isGoDigit(ch) {
                while let digit = peek(), isGoDigit(digit) {
                    name.append(next()!)
                }
                return String(name)
            }
            if name.isEmpty && "@*#?-$!0".unicodeScalars.contains(ch) {
                return String(next()!)
            }
            if !isGoLetter(ch) && !isGoDigit(ch) && ch != "_" { break }
            name.append(next()!)
        }
        return String(name)
    }

    mutating func processDollar() throws(ShellError) -> String {
        _ = next()
        if peek() != "{" {
            let name = processName()
            if name.isEmpty { return "$" }
            let value = lookup(name)
            if value == nil && lexer.skipUnsetEnv { return "$" + name }
            return value ?? ""
        }
        _ = next()
        switch peek() {
        case nil: throw ShellError("syntax error: missing '}'")
        case "{", "}", ":": throw ShellError("syntax error: bad substitution")
        default: break
        }
        let name = processName()
        let first = next()
        var modifier = first.map { String($0) } ?? ""
        switch first {
        case "}":
            let value = lookup(name)
            if value == nil && lexer.skipUnsetEnv { return "${\(name)}" }
            return value ?? ""
        case ":", "+", "-", "?", "#", "%":
            var op = first!
            let nullIsUnset = op == ":"
            if nullIsUnset {
                let second = next()
                modifier += second.map { String($0) } ?? ""
                guard let second else { throw ShellError("syntax error: missing '}'") }
                op = second
            }
            let raw = op == "#" || op == "%"
            if nullIsUnset && raw {
                throw ShellError("unsupported modifier (\(modifier)) in substitution")
            }
            var word: String
            do {
                word = try processStopOn("}", rawEscapes: raw).0
            } catch {
                if peek() == nil { throw ShellError("syntax error: missing '}'") }
                throw error
            }
            let value = lookup(name)
            if lexer.skipUnsetEnv && value == nil { return "${\(name)\(modifier)\(word)}" }
            switch op {
            case "-":
                if let value, !(nullIsUnset && value.isEmpty) { return value }
                return word
            case "+":
                if let value, !(nullIsUnset && value.isEmpty) { return word }
                return ""
            case "?":
                guard let value else {
                    throw ShellError("\(name): \(word.isEmpty ? "is not allowed to be unset" : word)")
                }
                if nullIsUnset && value.isEmpty {
                    throw ShellError("\(name): \(word.isEmpty ? "is not allowed to be empty" : word)")
                }
                return value
            case "%", "#":
                var greedy = false
                if word.unicodeScalars.first == op {
                    greedy = true
                    word = String(word.unicodeScalars.dropFirst())
                }
                let pattern = try ShellPattern(word)
                return op == "%"
                    ? pattern.trimSuffix(of: value ?? "", greedy: greedy)
                    : pattern.trimPrefix(of: value ?? "", greedy: greedy)
            default:
                throw ShellError("unsupported modifier (\(modifier)) in substitution")
            }
        case "/":
            let replaceAll = peek() == "/"
            if replaceAll { _ = next() }
            let pattern: String
            do {
                pattern = try processStopOn("/", rawEscapes: true).0
            } catch {
                if peek() == nil { throw ShellError("syntax error: missing '/' in ${}") }
                throw error
            }
            let replacement: String
            do {
                replacement = try processStopOn("}", rawEscapes: true).0
            } catch {
                if peek() == nil { throw ShellError("syntax error: missing '}'") }
                throw error
            }
            let value = lookup(name)
            if lexer.skipUnsetEnv && value == nil { return "${\(name)/\(pattern)/\(replacement)}" }
            return try ShellPattern(pattern).replace(in: value ?? "", with: replacement, all: replaceAll)
        default:
            throw ShellError("unsupported modifier (\(modifier)) in substitution")
        }
    }
}
