import Foundation
import Testing

/// `berth dockerfile parse` needs no daemon: it reads a Dockerfile (file or stdin) and prints the parse tree.
@Suite("berth dockerfile parse") struct DockerfileParseCLITests {
    private func berth() throws -> String { try Daemon.findBinDir() + "/berth" }

    @Test func printsTheParseTreeFromStdin() throws {
        let text = "# syntax=docker/dockerfile:1\nFROM alpine AS base\nENV a=1 b=\"two words\"\nRUN <<EOF\necho hi\nEOF\n"
        let result = runCommand([try berth(), "dockerfile", "parse", "-f", "-", "--format", "json"], stdin: Data(text.utf8))
        #expect(result.status == 0, "\(result)")
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let instructions = try #require(tree["instructions"] as? [[String: Any]])
        #expect(instructions.map { $0["keyword"] as? String } == ["from", "env", "run"])
        #expect((instructions[1]["keyValues"] as? [[String: Any]])?.last?["value"] as? String == "\"two words\"")
        #expect(instructions[2]["startLine"] as? Int == 4 && instructions[2]["endLine"] as? Int == 6)
        #expect(((instructions[2]["heredocs"] as? [[String: Any]])?.first?["content"] as? String) == "echo hi\n")
        #expect((tree["directives"] as? [[String: Any]])?.first?["name"] as? String == "syntax")
    }

    @Test func reportsErrorsWithFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("Dockerfile").path
        try "FROM a\nRUN x\n\n\n\n\nFORM b\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = runCommand([try berth(), "dockerfile", "parse", "-f", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Dockerfile:7: unknown instruction: FORM"), "\(result)")
    }
}
