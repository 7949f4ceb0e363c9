import ArgumentParser
import DockerfileCore
import Foundation

/// `berth dockerfile …`: offline Dockerfile tools.
struct DockerfileGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dockerfile", abstract: "Inspect Dockerfiles", usage: "berth dockerfile COMMAND",
        subcommands: [DockerfileParseCommand.self])
}

/// `berth dockerfile parse [-f FILE] --format json`: the parse tree, as docker's parser splits it.
struct DockerfileParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Print the parse tree of a Dockerfile",
        usage: "berth dockerfile parse [-f FILE] [--format json]")
    @Option(name: .shortAndLong, help: "Name of the Dockerfile (default \"Dockerfile\", \"-\" for stdin)") var file = "Dockerfile"
    @Option(help: "Output format (json)") var format = "json"

    func run() throws {
        guard format == "json" else { throw UsageError("unsupported format \"\(format)\": only json") }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIExit(1, "failed to read \(file): no such file or directory")
            }
            data = contents
        }
        let name = file == "-" ? "Dockerfile" : (file as NSString).lastPathComponent
        do {
            let dockerfile = try Dockerfile.parse(String(decoding: data, as: UTF8.self))
            _ = try dockerfile.instructions()
            out(try ParseTree(dockerfile).json())
        } catch let error as DockerfileError {
            throw CLIExit(1, error.inFile(name).description)
        }
    }
}
