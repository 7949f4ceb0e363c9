/// Docker's per-instruction argument splitting (buildkit parser/line_parsers.go and split_command.go).
enum LineParsers {
    /// Docker's `[\t\v\f\r ]`.
    static func isSplitSpace(_ ch: Unicode.Scalar) -> Bool {
        ch == " " || ch == "\t" || ch == "\u{0B}" || ch == "\u{0C}" || ch == "\r"
    }

    /// Splits on runs of `[\t\v\f\r ]`, at most `limit` parts (0: no limit), as Go's regexp Split.
    static func splitWhitespace(_ text: String, limit: Int = 0) -> [String] {
        var parts: [String] = []
        var scalars = Array(text.unicodeScalars)[...]
        while true {
            if limit > 0 && parts.count == limit - 1 {
                parts.append(String(String.UnicodeScalarView(scalars)))
                return parts
            }
            guard let separator = scalars.firstIndex(where: isSplitSpace) else {
                parts.append(String(String.UnicodeScalarView(scalars)))
                return parts
            }
            parts.append(String(String.UnicodeScalarView(scalars[..<separator])))
            scalars = scalars[separator...].drop(while: isSplitSpace)
        }
    }

    /// Trims Go's unicode spaces from both ends.
    static func trimSpace(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isGoSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isGoSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The keyword, the `--flags` and the rest of a logical line.
    static func splitCommand(_ line: String, escape: Unicode.Scalar) -> (String, [String], String) {
        let parts = splitWhitespace(trimSpace(line), limit: 2)
        guard parts.count == 2 else { return (parts[0], [], "") }
        let (rest, flags) = extractFlags(parts[1], escape: escape)
        return (parts[0], flags, trimSpace(rest))
    }

    /// Leading `--name[=value]` words (quotes and escapes removed), stopping at the first other word or `--`.
    static func extractFlags(_ line: String, escape: Unicode.Scalar) -> (String, [String]) {
        let chars = Array(line.unicodeScalars)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        var blankOK = false
        var pos = 0
        func rest(_ from: Int) -> String { String(String.UnicodeScalarView(chars[from...])) }
        while pos <= chars.count {
            if !inWord {
                if pos == chars.count { break }
                let ch = chars[pos]
                if isGoSpace(ch) {
                    pos += 1
                    continue
                }
                if ch != "-" || pos + 1 == chars.count || chars[pos + 1] != "-" {
                    return (rest(pos), words)
                }
                inWord = true
            }
            if pos == chars.count {
                let finished = String(word)
                if finished != "--" && (blankOK || !finished.isEmpty) { words.append(finished) }
                break
            }
            var ch = chars[pos]
            if let open = quote {
                if ch == open {
                    quote = nil
                    pos += 1
                    continue
                }
                if ch == escape {
                    if pos + 1 == chars.count {
                        quote = nil
                        pos += 1
                        continue
                    }
                    pos += 1
                    ch = chars[pos]
                }
                word.append(ch)
                pos += 1
                continue
            }
            if isGoSpace(ch) {
                let finished = String(word)
                inWord = false
                if finished == "--" { return (rest(pos), words) }
                if blankOK || !finished.isEmpty { words.append(finished) }
                word = String.UnicodeScalarView()
                blankOK = false
                pos += 1
                continue
            }
            if ch == "'" || ch == "\"" {
                quote = ch
                blankOK = true
                pos += 1
                continue
            }
            if ch == escape {
                if pos + 1 == chars.count {
                    pos += 1
                    continue
                }
                pos += 1
                ch = chars[pos]
            }
            word.append(ch)
            pos += 1
        }
        return ("", words)
    }

    /// Words separated by whitespace, quotes and escapes kept (they are removed at expansion).
    static func parseWords(_ rest: String, escape: Unicode.Scalar) -> [String] {
        let chars = Array(rest.unicodeScalars)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        var blankOK = false
        var pos = 0
        while pos <= chars.count {
            if !inWord && quote == nil {
                if pos == chars.count { break }
                if isGoSpace(chars[pos]) {
                    pos += 1
                    continue
                }
                inWord = true
            }
            if pos == chars.count {
                if blankOK || !word.isEmpty { words.append(String(word)) }
                break
            }
            var ch = chars[pos]
            if let open = quote {
                if ch == open { quote = nil }
                if ch == escape && open != "'" {
                    if pos + 1 == chars.count {
                        quote = nil
                        pos += 1
                        continue
                    }
                    pos += 1
                    word.append(ch)
                    ch = chars[pos]
                }
                word.append(ch)
                pos += 1
                continue
            }
            if isGoSpace(ch) {
                inWord = false
                if blankOK || !word.isEmpty { words.append(String(word)) }
                word = String.UnicodeScalarView()
                blankOK = false
                pos += 1
                continue
            }
            if ch == "'" || ch == "\"" {
                quote = ch
                blankOK = true
            }
            if ch == escape {
                if pos + 1 == chars.count {
                    pos += 1
                    continue
                }
                word.append(ch)
                pos += 1
                ch = chars[pos]
            }
            word.append(ch)
            pos += 1
        }
        return words
    }

    /// ENV and LABEL: `k=v …` pairs, or the legacy `k v` (everything after the first space is the value).
    static func parseNameValue(_ rest: String, keyword: String, escape: Unicode.Scalar) throws(DockerfileError) -> NodeArguments {
        let words = parseWords(rest, escape: escape)
        guard let first = words.first else { return .none }
        if !first.contains("=") {
            let parts = splitWhitespace(rest, limit: 2)
            guard parts.count == 2 else { throw DockerfileError(.arguments, "\(keyword) must have two arguments") }
            return .keyValues([KeyValue(key: parts[0], value: parts[1], usesEquals: false)])
        }
        var pairs: [KeyValue] = []
        for word in words {
            guard let equals = word.firstIndex(of: "=") else {
                throw DockerfileError(.syntax, "Syntax error - can't find = in \(goQuote(word)). Must be of the form: name=value")
            }
            pairs.append(KeyValue(key: String(word[..<equals]), value: String(word[word.index(after: equals)...]), usesEquals: true))
        }
        return .keyValues(pairs)
    }

    /// CMD, ENTRYPOINT, RUN, SHELL: a JSON array, else the whole rest as one string.
    static func parseMaybeJSON(_ rest: String) throws(DockerfileError) -> (NodeArguments, Bool) {
        if rest.isEmpty { return (.none, false) }
        switch JSONArray.parse(rest) {
        case .success(let items): return (.words(items), true)
        case .failure(.notStringArray):
            throw DockerfileError(.syntax, "when using JSON array syntax, arrays must be comprised of strings only")
        case .failure(.notJSON): return (.words([rest]), false)
        }
    }

    /// ADD, COPY, VOLUME: a JSON array, else whitespace-separated words.
    static func parseMaybeJSONToList(_ rest: String) throws(DockerfileError) -> (NodeArguments, Bool) {
        switch JSONArray.parse(rest) {
        case .success(let items): return (.words(items), true)
        case .failure(.notStringArray):
            throw DockerfileError(.syntax, "when using JSON array syntax, arrays must be comprised of strings only")
        case .failure(.notJSON): return (whitespaceDelimited(rest), false)
        }
    }

    /// FROM, EXPOSE (and the fallback of COPY/ADD/VOLUME): words split on whitespace.
    static func whitespaceDelimited(_ rest: String) -> NodeArguments {
        rest.isEmpty ? .none : .words(splitWhitespace(rest))
    }

    /// HEALTHCHECK: the type word, then CMD's JSON or shell form.
    static func parseHealthcheck(_ rest: String) throws(DockerfileError) -> (NodeArguments, Bool) {
        let scalars = Array(rest.unicodeScalars)
        var separator = 0
        while separator < scalars.count, !isGoSpace(scalars[separator]) { separator += 1 }
        var next = separator
        while next < scalars.count, isGoSpace(scalars[next]) { next += 1 }
        if separator == 0 { return (.none, false) }
        let type = String(String.UnicodeScalarView(scalars[..<separator]))
        let (command, isJSON) = try parseMaybeJSON(String(String.UnicodeScalarView(scalars[next...])))
        if case .words(let words) = command { return (.words([type] + words), isJSON) }
        return (.words([type]), isJSON)
    }
}
