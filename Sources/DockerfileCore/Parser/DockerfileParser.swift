extension Dockerfile {
    /// Parses Dockerfile text as docker's parser does: directives at the top, comments, continuations
    /// with the escape character, per-instruction argument splitting, heredocs. Instructions are
    /// not typed here (see `Dockerfile.instructions()`); errors carry line numbers.
    public static func parse(_ text: String) throws(DockerfileError) -> Dockerfile {
        var parser = DockerfileParser(text: text)
        return try parser.run()
    }
}

/// The scanning state of one parse.
struct DockerfileParser {
    private var lines: [Substring]
    private var nextLine = 0
    private var currentLine = 0
    private var escape: Unicode.Scalar = "\\"
    private var directives: [ParserDirective] = []
    private var directivesDone = false
    private var seenDirectives: Set<String> = []

    init(text: String) {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var lines: [Substring] = []
        var start = text.startIndex
        // Split after each "\n", keeping it (docker's scanLines); "\r\n" stays one line ending.
        for index in text.utf8.indices where text.utf8[index] == 0x0A {
            let end = text.utf8.index(after: index)
            lines.append(text[start..<end])
            start = end
        }
        if start < text.endIndex { lines.append(text[start...]) }
        self.lines = lines
    }

    private mutating func scan() -> Substring? {
        guard nextLine < lines.count else { return nil }
        defer { nextLine += 1 }
        return lines[nextLine]
    }

    static func trimNewline(_ line: Substring) -> Substring {
        var line = line
        while let last = line.unicodeScalars.last, last == "\n" || last == "\r" {
            line = Substring(line.unicodeScalars.dropLast())
        }
        return line
    }

    static func trimLeadingWhitespace(_ line: Substring) -> Substring {
        Substring(line.unicodeScalars.drop(while: isGoSpace))
    }

    static func isComment(_ line: Substring) -> Bool {
        trimLeadingWhitespace(line).unicodeScalars.first == "#"
    }

    /// Reads a directive from a line at the top; false once directives are over.
    private mutating func possibleDirective(_ line: Substring, lineNumber: Int) throws(DockerfileError) -> Bool {
        if directivesDone { return false }
        guard line.hasPrefix("#") else {
            directivesDone = true
            return false
        }
        let body = Self.trimLeadingWhitespace(line.dropFirst())
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
        let scalars = Array(body.unicodeScalars)
        var index = 0
        func isASCIILetter(_ ch: Unicode.Scalar) -> Bool { ch.isASCII && ch.properties.isAlphabetic }
        func isASCIIDigit(_ ch: Unicode.Scalar) -> Bool { ch.value >= 0x30 && ch.value <= 0x39 }
        func isRegexSpace(_ ch: Unicode.Scalar) -> Bool { ch == " " || ch == "\t" || ch == "\n" || ch == "\u{0C}" || ch == "\r" }
        guard index < scalars.count, isASCIILetter(scalars[index]) else {
            directivesDone = true
            return false
        }
        while index < scalars.count, isASCIILetter(scalars[index]) || isASCIIDigit(scalars[index]) { index += 1 }
        let name = String(String.UnicodeScalarView(scalars[..<index])).lowercased()
        while index < scalars.count, isRegexSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] == "=" else {
            directivesDone = true
            return false
        }
        index += 1
        while index < scalars.count, isRegexSpace(scalars[index]) { index += 1 }
        var end = scalars.count
        while end > index, isRegexSpace(scalars[end - 1]) { end -= 1 }
        guard end > index, ["syntax", "escape", "check"].contains(name) else {
            directivesDone = true
            return false
        }
        guard seenDirectives.insert(name).inserted else {
            throw DockerfileError(.syntax, "only one \(name) parser directive can be used", line: lineNumber)
        }
        let value = String(String.UnicodeScalarView(scalars[index..<end]))
        if name == "escape" {
            guard value == "`" || value == "\\" else {
                throw DockerfileError(.syntax, "invalid escape token '\(value)' does not match ` or \\", line: lineNumber)
            }
            escape = value.unicodeScalars.first!
        }
        directives.append(ParserDirective(name: name, value: value, line: lineNumber))
        return true
    }

    /// Removes a trailing escape character (and spaces after it) that continues the line.
    private func trimContinuation(_ line: Substring) -> (Substring, Bool) {
        var scalars = Array(line.unicodeScalars)
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        guard end > 0, scalars[end - 1] == escape else { return (line, true) }
        if end == 1 { return ("", false) }
        if scalars[end - 2] == escape { return (line, true) }
        scalars.removeSubrange((end - 1)...)
        return (Substring(String(String.UnicodeScalarView(scalars))), false)
    }

    mutating func run() throws(DockerfileError) -> Dockerfile {
        var nodes: [DockerfileNode] = []
        var warnings: [String] = []
        var comments: [String] = []
        while let raw = scan() {
            let lineNumber = currentLine + 1
            let stripped = Self.trimLeadingWhitespace(Self.trimNewline(raw))
            let isDirective = try possibleDirective(stripped, lineNumber: lineNumber)
            if !isDirective && Self.isComment(raw) {
                let comment = LineParsers.trimSpace(String(stripped.dropFirst()))
                if comment.isEmpty { comments = [] } else { comments.append(comment) }
            }
            currentLine += 1
            let startLine = currentLine
            let content: Substring = Self.isComment(stripped) ? "" : stripped
            var (text, isEnd) = trimContinuation(content)
            if isEnd && text.isEmpty { continue }
            var logical = String(text)
            var emptyContinuation = false
            while !isEnd, let next = scan() {
                let trimmed = Self.trimNewline(next)
                _ = try possibleDirective(trimmed, lineNumber: currentLine + 1)
                currentLine += 1
                if Self.isComment(next) { continue }
                if Self.trimLeadingWhitespace(trimmed).isEmpty {
                    emptyContinuation = true
                    continue
                }
                (text, isEnd) = trimContinuation(trimmed)
                logical += text
            }
            if emptyContinuation {
                warnings.append("Empty continuation line found in: " + logical)
            }
            var node: DockerfileNode
            do {
                node = try Self.node(from: logical, escape: escape, comments: comments)
            } catch {
                throw error.at(SourceLines(start: startLine, end: currentLine))
            }
            if node.canContainHeredoc && logical.contains("<<") {
                let found: [Heredoc]
                do {
                    found = try HeredocParsing.heredocs(inLine: logical)
                } catch {
                    throw error.at(SourceLines(start: startLine, end: currentLine))
                }
                for var heredoc in found {
                    var terminated = false
                    var body = ""
                    while let bodyLine = scan() {
                        currentLine += 1
                        var candidate = Self.trimNewline(bodyLine)
                        if heredoc.chomp { candidate = Substring(candidate.unicodeScalars.drop { $0 == "\t" }) }
                        if candidate == heredoc.name[...] {
                            terminated = true
                            break
                        }
                        body += bodyLine
                    }
                    guard terminated else {
                        throw DockerfileError(.heredoc, "unterminated heredoc", line: startLine, endLine: currentLine)
                    }
                    heredoc.content = body
                    node.heredocs.append(heredoc)
                }
            }
            node.lines = SourceLines(start: startLine, end: currentLine)
            if case .instruction(var trigger) = node.arguments {
                trigger.lines = node.lines
                node.arguments = .instruction(trigger)
            }
            nodes.append(node)
            comments = []
        }
        guard !nodes.isEmpty else {
            throw DockerfileError(.structure, "file with no instructions", line: max(currentLine, 1))
        }
        return Dockerfile(directives: directives, escapeToken: Character(escape), nodes: nodes, warnings: warnings)
    }

    /// Splits a logical line into a node (docker's newNodeFromLine).
    static func node(from line: String, escape: Unicode.Scalar, comments: [String]) throws(DockerfileError) -> DockerfileNode {
        let (keyword, flags, rest) = LineParsers.splitCommand(line, escape: escape)
        var arguments = NodeArguments.none
        var isJSON = false
        switch keyword.lowercased() {
        case "add", "copy", "volume":
            (arguments, isJSON) = try LineParsers.parseMaybeJSONToList(rest)
        case "arg":
            let words = LineParsers.parseWords(rest, escape: escape)
            arguments = words.isEmpty ? .none : .words(words)
        case "cmd", "entrypoint", "run", "shell":
            (arguments, isJSON) = try LineParsers.parseMaybeJSON(rest)
        case "env", "label":
            arguments = try LineParsers.parseNameValue(rest, keyword: keyword.uppercased() == "ENV" ? "ENV" : "LABEL", escape: escape)
        case "expose", "from":
            arguments = LineParsers.whitespaceDelimited(rest)
        case "healthcheck":
            (arguments, isJSON) = try LineParsers.parseHealthcheck(rest)
        case "maintainer", "stopsignal", "user", "workdir":
            arguments = rest.isEmpty ? .none : .words([rest])
        case "onbuild":
            if !rest.isEmpty {
                arguments = .instruction(try node(from: rest, escape: escape, comments: []))
            }
        default:
            arguments = .none
        }
        return DockerfileNode(
            keyword: keyword, flags: flags, arguments: arguments, isJSON: isJSON, original: line, comments: comments)
    }
}

extension DockerfileNode {
    /// RUN, COPY and ADD in shell form (also as an ONBUILD trigger) may have heredocs.
    var canContainHeredoc: Bool {
        var node = self
        if command == "onbuild", case .instruction(let trigger) = arguments { node = trigger }
        return ["add", "copy", "run"].contains(node.command) && !node.isJSON
    }
}
