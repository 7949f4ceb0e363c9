import Testing
@testable import Build
@testable import DockerfileCore

private func ignore(_ text: String, dockerfile: String = "Dockerfile") throws -> DockerIgnore {
    try DockerIgnore.forContext(ignoreFile: text, dockerfile: dockerfile)
}

@Test func readCleansPatterns() {
    #expect(DockerIgnore.read("# comment\n  \n/foo/\n./bar/../baz\n! keep \n  # not a comment\r\n") == ["foo", "baz", "!keep", "# not a comment"])
}

@Test func basicPatterns() throws {
    let rules = try ignore("*.md\n**/*.log\nbuild/**\ntmp\n!tmp/keep\ndocs/?.txt\n[ab].c\n")
    #expect(rules.isExcluded("README.md"))
    #expect(!rules.isExcluded("sub/README.md"))
    #expect(rules.isExcluded("a.log") && rules.isExcluded("x/y/z.log"))
    #expect(rules.isExcluded("build/out/bin") && !rules.isExcluded("build"))
    #expect(rules.isExcluded("tmp") && rules.isExcluded("tmp/x/y"))
    #expect(!rules.isExcluded("tmp/keep"))
    #expect(rules.isExcluded("docs/a.txt") && !rules.isExcluded("docs/ab.txt"))
    #expect(rules.isExcluded("a.c") && !rules.isExcluded("c.c"))
    #expect(!rules.isExcluded("src/main.swift"))
}

@Test func lastMatchWins() throws {
    let rules = try ignore("*\n!src\nsrc/secret\n")
    #expect(rules.isExcluded("anything"))
    #expect(!rules.isExcluded("src/main.swift"))
    #expect(rules.isExcluded("src/secret"))
}

@Test func doubleStarPrefixMatchesAtAnyDepth() throws {
    let rules = try ignore("**/node_modules\n**\n!**/*.go\n")
    #expect(!rules.isExcluded("cmd/main.go"))
    #expect(rules.isExcluded("a/node_modules/x.js"))
}

@Test func dockerfileAndIgnoreFileAreAlwaysSent() throws {
    let rules = try ignore("*\n", dockerfile: "build/app.Dockerfile")
    #expect(!rules.isExcluded(".dockerignore"))
    #expect(!rules.isExcluded("build/app.Dockerfile"))
    #expect(rules.isExcluded("build/other"))
}

@Test func directoriesSkippedOnlyWithoutExceptionsInside() throws {
    let rules = try ignore("vendor\nlogs\n!logs/keep.txt\n")
    #expect(rules.canSkipDirectory("vendor"))
    #expect(!rules.canSkipDirectory("logs"))
    #expect(!rules.canSkipDirectory("src"))
}

@Test func candidateFilesPreferTheDockerfileOwn() {
    #expect(DockerIgnore.candidateFiles(dockerfile: "./docker/app.Dockerfile") == ["docker/app.Dockerfile.dockerignore", ".dockerignore"])
}

@Test func badPatternsAreErrors() {
    #expect(throws: DockerfileError.self) { try DockerIgnore(patterns: ["!"]) }
    #expect(throws: DockerfileError.self) { try DockerIgnore(patterns: ["[a"]) }
}

@Test func pathologicalPatternsStayFast() throws {
    let rules = try DockerIgnore(patterns: ["*a*a*a*a*a*a*a*a*a*a*b"])
    let name = String(repeating: "a", count: 200)
    // Without remembering failed states this takes exponential time (the test would not finish).
    #expect(!rules.isExcluded(name))
    let value = String(repeating: "a", count: 200)
    #expect(try ShellLexer().processWord("${V#*a*a*a*a*a*a*a*a*a*b}", environment: ShellEnvironment(["V=" + value])) == value)
}
