import Testing
@testable import Build
@testable import DockerfileCore

private func nodes(_ text: String) throws -> [DockerfileNode] { try Dockerfile.parse(text).nodes }

@Test func keywordsAreCaseInsensitiveAndLinesCounted() throws {
    let parsed = try nodes("from alpine\n\nRun echo hi\n")
    #expect(parsed.map(\.command) == ["from", "run"])
    #expect(parsed[1].keyword == "Run")
    #expect(parsed[1].lines == SourceLines(start: 3, end: 3))
    #expect(parsed[1].arguments == .words(["echo hi"]))
}

@Test func directivesOnlyAtTheTop() throws {
    let file = try Dockerfile.parse("# syntax=docker/dockerfile:1\n# ESCAPE = `\n# check=skip=all\nFROM a\n# escape=\\\n")
    #expect(file.directives.map(\.name) == ["syntax", "escape", "check"])
    #expect(file.directives[1].value == "`")
    #expect(file.escapeToken == "`")
    // A comment first ends the directives: the escape line is an ordinary comment.
    let late = try Dockerfile.parse("# hello\n# escape=`\nFROM a\nRUN a \\\n  b\n")
    #expect(late.escapeToken == "\\")
    #expect(late.nodes[1].arguments == .words(["a   b"]))
    // So does an empty line.
    #expect(try Dockerfile.parse("\n# escape=`\nFROM a\n").escapeToken == "\\")
}

@Test func badAndDuplicateDirectivesFail() {
    #expect(throws: DockerfileError.self) { try Dockerfile.parse("# escape=x\nFROM a\n") }
    do {
        _ = try Dockerfile.parse("# syntax=a\n# syntax=b\nFROM a\n")
        Issue.record("duplicate directive accepted")
    } catch {
        #expect(error.message == "only one syntax parser directive can be used")
        #expect(error.line == 2)
    }
}

@Test func backtickEscapeWithWindowsLineEndings() throws {
    let text = "# escape=`\r\nFROM mcr.microsoft.com/windows\r\nCOPY testfile.txt c:\\ `\r\n  dest\\\r\nRUN dir c:\\\r\n"
    let parsed = try nodes(text)
    #expect(parsed.count == 3)
    #expect(parsed[1].arguments == .words(["testfile.txt", "c:\\", "dest\\"]))
    #expect(parsed[1].lines == SourceLines(start: 3, end: 4))
    #expect(parsed[2].arguments == .words(["dir c:\\"]))
}

@Test func continuationsSkipCommentsAndBlankLinesAndMayEndAtEOF() throws {
    let file = try Dockerfile.parse("FROM a\nRUN one \\\n# a comment\n\n  two \\\n")
    #expect(file.nodes[1].arguments == .words(["one   two"]))
    #expect(file.nodes[1].lines == SourceLines(start: 2, end: 5))
    #expect(file.warnings.count == 1)
}

@Test func escapedEscapeDoesNotContinue() throws {
    let parsed = try nodes("FROM a\nRUN echo \\\\\nRUN b\n")
    #expect(parsed.count == 3)
    #expect(parsed[1].arguments == .words(["echo \\\\"]))
}

@Test func commentsAboveInstructionAreKept() throws {
    let parsed = try nodes("# the base\nFROM a\n#\n# version\nARG V\n")
    #expect(parsed[0].comments == ["the base"])
    #expect(parsed[1].comments == ["version"])
}

@Test func jsonAndShellForms() throws {
    let parsed = try nodes(
        "FROM a\nCMD [\"echo\", \"hi there\"]\nCMD ['echo', 'hi']\nENTRYPOINT [\"a\"] trailing\nRUN [ \"a\\u0041\" ]\nCMD []\n")
    #expect(parsed[1].isJSON)
    #expect(parsed[1].arguments == .words(["echo", "hi there"]))
    #expect(!parsed[2].isJSON)
    #expect(parsed[2].arguments == .words(["['echo', 'hi']"]))
    #expect(!parsed[3].isJSON)
    #expect(parsed[4].arguments == .words(["aA"]))
    #expect(parsed[5].isJSON && parsed[5].arguments == .words([]))
}

@Test func jsonWithNonStringsIsAnError() {
    do {
        _ = try Dockerfile.parse("FROM a\n\nCMD [\"a\", 1]\n")
        Issue.record("accepted")
    } catch {
        #expect(error.description == "Dockerfile:3: when using JSON array syntax, arrays must be comprised of strings only")
    }
}

@Test func flagsAreExtractedWithQuotes() throws {
    let parsed = try nodes("FROM --platform=linux/amd64 a AS b\nCOPY --from=b --chown=\"1 2\" x y\nRUN --network=none -- --x\n")
    #expect(parsed[0].flags == ["--platform=linux/amd64"])
    #expect(parsed[0].arguments == .words(["a", "AS", "b"]))
    #expect(parsed[1].flags == ["--from=b", "--chown=1 2"])
    #expect(parsed[1].arguments == .words(["x", "y"]))
    #expect(parsed[2].flags == ["--network=none"])
    #expect(parsed[2].arguments == .words(["--x"]))
}

@Test func envForms() throws {
    let parsed = try nodes("FROM a\nENV a=1 b=\"two words\"\nENV key value with spaces\nLABEL \"x y\"=z\n")
    #expect(
        parsed[1].arguments
            == .keyValues([KeyValue(key: "a", value: "1"), KeyValue(key: "b", value: "\"two words\"")]))
    #expect(parsed[2].arguments == .keyValues([KeyValue(key: "key", value: "value with spaces", usesEquals: false)]))
    #expect(parsed[3].arguments == .keyValues([KeyValue(key: "\"x y\"", value: "z")]))
    #expect(throws: DockerfileError.self) { try Dockerfile.parse("FROM a\nENV onlykey\n") }
    #expect(throws: DockerfileError.self) { try Dockerfile.parse("FROM a\nENV a=1 b\n") }
}

@Test func heredocs() throws {
    let text = "FROM a\nRUN <<EOF\necho $HOME\nEOF\nRUN <<-\"END\" cat\n\techo one\n\tEND\nRUN cat <<A && cat <<'B'\na\nA\nb\nB\nRUN echo done\n"
    let parsed = try nodes(text)
    #expect(parsed.count == 5)
    #expect(parsed[1].heredocs == [Heredoc(name: "EOF", content: "echo $HOME\n")])
    #expect(parsed[1].lines == SourceLines(start: 2, end: 4))
    #expect(parsed[2].heredocs == [Heredoc(name: "END", expand: false, chomp: true, content: "\techo one\n")])
    #expect(parsed[3].heredocs.map(\.name) == ["A", "B"])
    #expect(parsed[3].heredocs.map(\.expand) == [true, false])
    #expect(parsed[3].heredocs.map(\.content) == ["a\n", "b\n"])
    #expect(parsed[4].lines == SourceLines(start: 13, end: 13))
}

@Test func heredocNotInJSONOrOtherInstructions() throws {
    let parsed = try nodes("FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD cat <<EOF\n")
    #expect(parsed[1].heredocs.isEmpty)
    #expect(parsed[2].heredocs.isEmpty)
}

@Test func unterminatedHeredocFailsWithLines() {
    do {
        _ = try Dockerfile.parse("FROM a\nRUN <<EOF\necho\n")
        Issue.record("accepted")
    } catch {
        #expect(error.kind == .heredoc)
        #expect(error.description == "Dockerfile:2: unterminated heredoc")
    }
}

@Test func onbuildHoldsATrigger() throws {
    let parsed = try nodes("FROM a\nONBUILD RUN --network=none echo hi\n")
    guard case .instruction(let trigger) = parsed[1].arguments else {
        Issue.record("no trigger")
        return
    }
    #expect(trigger.command == "run")
    #expect(trigger.flags == ["--network=none"])
    #expect(parsed[1].arguments.flattened == ["RUN", "echo hi"])
}

@Test func healthcheckSplitsTypeAndCommand() throws {
    let parsed = try nodes("FROM a\nHEALTHCHECK --interval=5s CMD [\"curl\", \"x\"]\nHEALTHCHECK NONE\n")
    #expect(parsed[1].arguments == .words(["CMD", "curl", "x"]))
    #expect(parsed[1].isJSON)
    #expect(parsed[2].arguments == .words(["NONE"]))
}

@Test func emptyFileIsAnError() {
    #expect(throws: DockerfileError.self) { try Dockerfile.parse("# only a comment\n\n") }
}

@Test func byteOrderMarkIsIgnored() throws {
    #expect(try nodes("\u{FEFF}FROM a\n")[0].command == "from")
}

@Test func parseTreeJSONHasDockersSplit() throws {
    let file = try Dockerfile.parse("FROM a\nENV k v w\nONBUILD RUN --network=none x\nCOPY <<EOF /f\nhi\nEOF\n")
    let tree = ParseTree(file)
    #expect(tree.instructions.map(\.keyword) == ["from", "env", "onbuild", "copy"])
    #expect(tree.instructions[1].keyValues == [KeyValue(key: "k", value: "v w", usesEquals: false)])
    #expect(tree.instructions[2].trigger?.node.flags == ["--network=none"])
    #expect(tree.instructions[2].trigger?.node.startLine == 3)
    #expect(tree.instructions[3].heredocs.first?.content == "hi\n")
    let json = try tree.json()
    #expect(json.contains("\"usesEquals\" : false"))
    #expect(json.contains("\"startLine\" : 4"))
    #expect(json.contains("\"endLine\" : 6"))
}
