/// A `.dockerignore` as docker applies it to the build context (moby/patternmatcher and the CLI's
/// rules): patterns in order, the last match wins, `!` re-includes, a matched directory excludes
/// what is below it, and the Dockerfile and `.dockerignore` are always sent.
public struct DockerIgnore: Sendable, Equatable {
    /// The compiled patterns in order.
    public let patterns: [IgnorePattern]

    /// Compiles patterns (as `read` returns them): blank ones are skipped, each is cleaned.
    public init(patterns: [String]) throws(DockerfileError) {
        var compiled: [IgnorePattern] = []
        for raw in patterns {
            var pattern = LineParsers.trimSpace(raw)
            if pattern.isEmpty { continue }
            pattern = Self.cleanPath(pattern)
            var exclusion = false
            if pattern.hasPrefix("!") {
                guard pattern.count > 1 else { throw DockerfileError(.syntax, "illegal exclusion pattern: \"!\"") }
                exclusion = true
                pattern.removeFirst()
            }
            compiled.append(try IgnorePattern(text: pattern, isExclusion: exclusion))
        }
        self.patterns = compiled
    }

    /// The patterns of a `.dockerignore` file (docker's ignorefile.ReadAll): `#` comments at the
    /// start of a line, surrounding spaces trimmed, paths cleaned, a leading `/` dropped.
    public static func read(_ text: String) -> [String] {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var patterns: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasPrefix("#") { continue }
            var pattern = LineParsers.trimSpace(line)
            if pattern.isEmpty { continue }
            let invert = pattern.hasPrefix("!")
            if invert { pattern = LineParsers.trimSpace(String(pattern.dropFirst())) }
            if !pattern.isEmpty {
                pattern = cleanPath(pattern)
                if pattern.count > 1 && pattern.hasPrefix("/") { pattern.removeFirst() }
            }
            patterns.append(invert ? "!" + pattern : pattern)
        }
        return patterns
    }

    /// The ignore files to look for, first found wins: `<Dockerfile>.dockerignore`, then `.dockerignore`
    /// (paths relative to the context; `dockerfile` as given with `-f`, relative to the context).
    public static func candidateFiles(dockerfile: String = "Dockerfile") -> [String] {
        let cleaned = cleanPath(dockerfile)
        return [cleaned + ".dockerignore", ".dockerignore"]
    }

    /// The ignore rules for a context: the file's patterns, plus exceptions so the Dockerfile
    /// and `.dockerignore` are still sent (docker's TrimBuildFilesFromExcludes).
    public static func forContext(ignoreFile text: String?, dockerfile: String = "Dockerfile") throws(DockerfileError) -> DockerIgnore {
        var patterns = read(text ?? "")
        let first = try DockerIgnore(patterns: patterns)
        if first.matchesLimited(".dockerignore") { patterns.append("!.dockerignore") }
        let dockerfilePath = cleanPath(dockerfile)
        if first.matchesLimited(dockerfilePath) { patterns.append("!" + dockerfilePath) }
        return try DockerIgnore(patterns: patterns)
    }

    /// True when `path` (relative to the context, `/`-separated) is excluded: by a pattern
    /// matching it or one of its parent directories (docker's MatchesOrParentMatches).
    public func isExcluded(_ path: String) -> Bool {
        let file = Self.cleanPath(path)
        if file == "." { return false }
        let parents = Self.parentComponents(of: file)
        var matched = false
        for pattern in patterns where pattern.isExclusion == matched {
            var match = pattern.matches(file)
            if !match, !parents.isEmpty {
                for count in 1...parents.count where pattern.matches(parents[..<count].joined(separator: "/")) {
                    match = true
                    break
                }
            }
            if match { matched = !pattern.isExclusion }
        }
        return matched
    }

    /// docker's Matches: parents checked only at the pattern's own depth.
    func matchesLimited(_ path: String) -> Bool {
        let file = Self.cleanPath(path)
        if file == "." { return false }
        let parents = Self.parentComponents(of: file)
        var matched = false
        for pattern in patterns where pattern.isExclusion == matched {
            var match = pattern.matches(file)
            if !match, !parents.isEmpty, pattern.components.count <= parents.count {
                match = pattern.matches(parents[..<pattern.components.count].joined(separator: "/"))
            }
            if match { matched = !pattern.isExclusion }
        }
        return matched
    }

    /// True when a directory can be left out whole while walking the context: it is excluded
    /// and no `!` pattern could re-include something inside it.
    public func canSkipDirectory(_ path: String) -> Bool {
        guard isExcluded(path) else { return false }
        let directory = Self.cleanPath(path) + "/"
        return !patterns.contains { $0.isExclusion && ($0.text + "/").hasPrefix(directory) }
    }

    private static func parentComponents(of file: String) -> [String] {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()
        return parts
    }

    /// Go's filepath.Clean on `/`-separated paths.
    static func cleanPath(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
