import Testing
@testable import Build
@testable import DockerfileCore

@Test func errorRendersFileAndLine() {
    let error = DockerfileError(.unknownInstruction, "unknown instruction: FORM", line: 7)
    #expect(error.description == "Dockerfile:7: unknown instruction: FORM")
    #expect(error.inFile("app.Dockerfile").description == "app.Dockerfile:7: unknown instruction: FORM")
    #expect(DockerfileError(.structure, "file with no instructions").description == "Dockerfile: file with no instructions")
}

@Test func errorKeepsItsFirstLocation() {
    let error = DockerfileError(.syntax, "x", line: 3).at(SourceLines(start: 9, end: 9))
    #expect(error.line == 3)
    #expect(DockerfileError(.syntax, "x").at(SourceLines(start: 9, end: 10)).endLine == 10)
}
