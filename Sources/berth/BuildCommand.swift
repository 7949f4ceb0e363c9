import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth build`: syncs the context (with .dockerignore applied) with berthd, or sends it as a tar
/// to docker's legacy build API, and shows the steps, cache hits and RUN output as docker's legacy builder prints them.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build an image from a Dockerfile", usage: "berth build [OPTIONS] PATH")
    @Option(name: .shortAndLong, help: "Name and optionally a tag in the \"name:tag\" format") var tag: [String] = []
    @Option(name: .shortAndLong, help: "Name of the Dockerfile (default: \"PATH/Dockerfile\")") var file: String?
    @Option(name: .customLong("build-arg"), help: "Set build-time variables") var buildArg: [String] = []
    @Option(help: "Set metadata for an image") var label: [String] = []
    @Option(help: "Set the target build stage to build") var target: String?
    @Flag(name: .customLong("no-cache"), help: "Do not use cache when building the image") var noCache = false
    @Flag(help: "Always attempt to pull a newer version of the image") var pull = false
    @Option(help: "Write the image ID to the file") var iidfile: String?
    @Flag(name: .shortAndLong, help: "Suppress the build output and print image ID on success") var quiet = false
    @Option(help: "Type of progress output (auto, plain, tty)") var progress: String = "auto"
    @Option(help: "Set the networking mode for the RUN instructions during build") var network: String?
    @Flag(name: .customLong("rm"), help: "Remove intermediate containers after a successful build (always)") var remove = false
    @Argument var path: String

    func run() throws {
        guard ["auto", "plain", "tty"].contains(progress) else {
            throw CLIExit(1, "invalid --progress \(progress): use auto, plain or tty")
        }
        var args: [String: String] = [:]
        for item in buildArg {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { args[parts[0]] = parts[1] } else if let value = ProcessInfo.processInfo.environment[parts[0]] {
                args[parts[0]] = value
            }
        }
        if args["SOURCE_DATE_EPOCH"] == nil, let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            args["SOURCE_DATE_EPOCH"] = epoch
        }
        var labels: [String: String] = [:]
        for item in label {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            labels[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        let source = try BuildContextSource.resolve(context: path, dockerfile: file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var query: [(String, String?)] = tag.map { ("t", $0) }
        query += [("buildargs", args.isEmpty ? nil : String(decoding: try encoder.encode(args), as: UTF8.self)),
                  ("labels", labels.isEmpty ? nil : String(decoding: try encoder.encode(labels), as: UTF8.self)),
                  ("target", target), ("nocache", noCache ? "1" : nil), ("pull", pull ? "1" : nil),
                  ("q", quiet ? "1" : nil), ("rm", "1"), ("networkmode", network)]
        let client = try connectClient()
        let registryConfig = try buildRegistryConfig()
        // berthd keeps a synced copy of the context and is sent only what changed; others get the tar.
        let sync = try BuildContextSync.make(source)
        let response: HTTPResponse
        if let synced = try sync.start(client, query: query + [("dockerfile", source.relativeDockerfile ?? "Dockerfile")],
                                       registryConfig: registryConfig) {
            response = synced
        } else {
            let archive = try BuildContextArchive.make(context: path, dockerfile: file)
            do {
                response = try client.build(fd: archive.fd, query: query + [("dockerfile", archive.dockerfile)], registryConfig: registryConfig)
                try archive.finish()
            } catch {
                try? archive.finish()
                throw error
            }
        }
        let mode = BuildProgressMode.resolve(progress, quiet: quiet, stderrIsTerminal: isatty(2) == 1)
        let imageID = try showBuildStream(response.body, mode: mode)
        if quiet { out(imageID) }
        if let iidfile {
            do { try imageID.write(toFile: iidfile, atomically: true, encoding: .utf8) } catch {
                throw CLIExit(1, "writing the image ID to \(iidfile): \(error)")
            }
        }
    }
}
