/// Finding heredoc markers (`<<EOF`, `<<-"EOF"`, `3<<EOF`) in a line, as docker does.
enum HeredocParsing {
    /// The heredocs a logical line opens, in order (bodies still empty).
    static func heredocs(inLine line: String) throws(DockerfileError) -> [Heredoc] {
        var lexer = ShellLexer(escapeToken: "\\")
        lexer.rawQuotes = true
        lexer.rawEscapes = true
        lexer.skipUnsetEnv = true
        let words = (try? lexer.processWords(line, environment: ShellEnvironment())) ?? []
        var found: [Heredoc] = []
        for word in words {
            if let heredoc = try parse(word) { found.append(heredoc) }
        }
        return found
    }

    /// A heredoc marker word (`<<EOF`), or nil when the word is not one (docker's ParseHeredoc).
    static func parse(_ word: String) throws(DockerfileError) -> Heredoc? {
        // ^(\d*)<<(-?)\s*([^<]*)$
        var scalars = Array(word.unicodeScalars)[...]
        var digits = ""
        while let ch = scalars.first, ch.value >= 0x30 && ch.value <= 0x39 {
            digits.unicodeScalars.append(ch)
            scalars = scalars.dropFirst()
        }
        guard scalars.count >= 2, scalars.first == "<", scalars.dropFirst().first == "<" else { return nil }
        scalars = scalars.dropFirst(2)
        var chomp = false
        if scalars.first == "-" {
            chomp = true
            scalars = scalars.dropFirst()
        }
        while let ch = scalars.first, ch == " " || ch == "\t" || ch == "\n" || ch == "\u{0C}" || ch == "\r" {
            scalars = scalars.dropFirst()
        }
        guard !scalars.contains("<") else { return nil }
        let rest = String(String.UnicodeScalarView(scalars))
        if rest.isEmpty { return nil }
        var lexer = ShellLexer(escapeToken: "\\")
        lexer.skipUnsetEnv = true
        let words = try lexer.processWords(rest, environment: ShellEnvironment())
        guard words.count == 1 else { return nil }
        lexer.rawQuotes = true
        let rawWords = try lexer.processWords(rest, environment: ShellEnvironment())
        guard rawWords.count == 1 else {
            throw DockerfileError(.heredoc, "internal lexing of heredoc produced inconsistent results: \(rest)")
        }
        func quoteCount(_ text: String) -> Int { text.unicodeScalars.filter { $0 == "'" || $0 == "\"" }.count }
        return Heredoc(
            name: words[0], fileDescriptor: Int(digits) ?? 0, expand: quoteCount(words[0]) == quoteCount(rawWords[0]),
            chomp: chomp)
    }

    /// Removes leading tabs from every line (`<<-`).
    static func chomp(_ content: String) -> String {
        var out = ""
        var atLineStart = true
        for ch in content.unicodeScalars {
            if atLineStart && ch == "\t" { continue }
            atLineStart = ch == "\n"
            out.unicodeScalars.append(ch)
        }
        return out
    }
}
