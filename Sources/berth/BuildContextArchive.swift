import Build
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
        let root = URL(fileURLWithPath: context).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIExit(1, "unable to prepare context: path \"\(context)\" not found")
        }
        let dockerfilePath = URL(fileURLWithPath: dockerfile ?? (root + "/Dockerfile"),
                                 relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: dockerfilePath) else {
            throw CLIExit(1, "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat \(dockerfilePath): no such file or directory")
        }
        let inside = dockerfilePath.hasPrefix(root + "/")
        let relativeDockerfile = inside ? String(dockerfilePath.dropFirst(root.count + 1)) : ".dockerfile." + randomHex()
        var ignoreText: String?
        for candidate in DockerIgnore.candidateFiles(dockerfile: inside ? relativeDockerfile : "Dockerfile") {
            let path = candidate.hasSuffix(".dockerignore") && candidate != ".dockerignore" && !inside
                ? dockerfilePath + ".dockerignore" : root + "/" + candidate
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { ignoreText = text; break }
        }
        let ignore: DockerIgnore
        do { ignore = try DockerIgnore.forContext(ignoreFile: ignoreText, dockerfile: relativeDockerfile) } catch {
            throw CLIExit(1, "error checking context: \(error)")
        }
        var list: [UInt8] = []
        walk(root, relative: "", ignore: ignore, into: &list)
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

    /// Appends the NUL-terminated relative paths to include, directories before their contents.
    private static func walk(_ directory: String, relative: String, ignore: DockerIgnore, into list: inout [UInt8]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let path = directory + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let isDirectory = st.st_mode & S_IFMT == S_IFDIR
            if ignore.isExcluded(rel) {
                if !isDirectory || ignore.canSkipDirectory(rel) { continue }
            } else {
                list += Array(rel.utf8) + [0]
            }
            if isDirectory { walk(path, relative: rel, ignore: ignore, into: &list) }
        }
    }

    private static func randomHex() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
