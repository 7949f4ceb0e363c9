import Build
import Foundation
import Glibc

/// The build context as docker's CLI sends it: every file under the context directory that
/// `.dockerignore` (or `<Dockerfile>.dockerignore`) does not exclude, as an uncompressed tar with
/// numeric owners; a Dockerfile outside the context is added as `.dockerfile.<random>`.
struct BuildContextArchive {
    /// An open, already unlinked file holding the tar.
    let fd: Int32
    /// The Dockerfile's path inside the tar.
    let dockerfile: String

    /// Walks `context` and writes the tar (GNU tar, fed the list of paths to include).
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
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data(list).write(to: URL(fileURLWithPath: scratch + "/list"))
        let tarPath = scratch + "/context.tar"
        try runTar(["-C", root, "--no-recursion", "--numeric-owner", "--null", "-T", scratch + "/list", "-cf", tarPath])
        if !inside {
            try FileManager.default.copyItem(atPath: dockerfilePath, toPath: scratch + "/" + relativeDockerfile)
            try runTar(["-C", scratch, "--numeric-owner", "-rf", tarPath, relativeDockerfile])
        }
        let fd = open(tarPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIExit(1, "opening the context archive: \(String(cString: strerror(errno)))") }
        return BuildContextArchive(fd: fd, dockerfile: relativeDockerfile)
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

    private static func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
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
