import DockerfileCore
import Foundation
import Glibc

/// The build context as docker's CLI sends it: every file under the context directory that
/// `.dockerignore` (or `<Dockerfile>.dockerignore`) does not exclude, as an uncompressed tar with
/// numeric owners; a Dockerfile outside the context is added as `.dockerfile.<random>`.
struct BuildContextArchive {
    /// The read end of a pipe tar writes the archive into.
    let fd: Int32
    /// The Dockerfile's path inside the tar.
    let dockerfile: String
    let process: Process
    let errors: Pipe
    let scratch: String
    /// Keeps the pipe (and so `fd`) open.
    let keep: Pipe

    /// Walks `context` and starts tar (GNU tar, fed the list of paths to include).
    static func make(context: String, dockerfile: String?) throws -> BuildContextArchive {
        let source = try BuildContextSource.resolve(context: context, dockerfile: dockerfile)
        let root = source.root
        let inside = source.inside
        let dockerfilePath = source.dockerfilePath
        let relativeDockerfile = source.relativeDockerfile ?? ".dockerfile." + randomHex()
        var list: [UInt8] = []
        for item in source.items() where !item.excluded { list += Array(item.relative.utf8) + [0] }
        let scratch = NSTemporaryDirectory() + "berth-build-" + randomHex()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try Data(list).write(to: URL(fileURLWithPath: scratch + "/list"))
        var arguments = ["-C", root, "--no-recursion", "--numeric-owner", "--null", "-T", scratch + "/list"]
        if !inside {
            try FileManager.default.copyItem(atPath: dockerfilePath, toPath: scratch + "/" + relativeDockerfile)
            arguments += ["-C", scratch, relativeDockerfile]
        }
        // tar writes into a pipe the request body is read from: the context is never stored whole.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = ["-c", "-f", "-"] + arguments
        let pipe = Pipe()
        let errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        return BuildContextArchive(fd: pipe.fileHandleForReading.fileDescriptor, dockerfile: relativeDockerfile,
                                   process: process, errors: errors, scratch: scratch, keep: pipe)
    }

    /// Waits for tar; its failure (an unreadable file) is the build's error.
    func finish() throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIExit(1, "archiving the build context: \(String(decoding: message, as: UTF8.self))")
        }
    }

    private static func randomHex() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
