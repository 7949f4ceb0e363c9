import ArgumentParser
import Client
import Foundation

/// `berth cp`: copies between a container and the host, as tar through the
/// archive endpoint; `-` streams a tar on stdin/stdout.
struct CpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp", abstract: "Copy files/folders between a container and the local filesystem",
        usage: "berth cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-")
    @Flag(name: .shortAndLong, help: "Archive mode (copy all uid/gid information)") var archive = false
    @Flag(name: [.customShort("L"), .customLong("follow-link")], help: "Always follow symbol link in SRC_PATH") var followLink = false
    @Flag(name: .shortAndLong, help: "Suppress progress output during copy") var quiet = false
    @Argument var source: String
    @Argument var destination: String

    func run() throws {
        let from = Self.split(source), to = Self.split(destination)
        switch (from.container, to.container) {
        case (let container?, nil): try download(container, from.path, to.path)
        case (nil, let container?): try upload(from.path, container, to.path)
        case (nil, nil): throw CLIExit(1, "must specify at least one container source")
        default: throw CLIExit(1, "copying between containers is not supported")
        }
    }

    /// `container:path` → (container, path); a local path has no container.
    static func split(_ arg: String) -> (container: String?, path: String) {
        if arg.hasPrefix("/") || arg.hasPrefix(".") || arg == "-" { return (nil, arg) }
        guard let colon = arg.firstIndex(of: ":") else { return (nil, arg) }
        return (String(arg[..<colon]), String(arg[arg.index(after: colon)...]))
    }

    func download(_ container: String, _ path: String, _ destination: String) throws {
        let client = try connectClient()
        let response = try client.getArchive(container, path: path)
        if destination == "-" { try copyBody(response.body, to: 1); return }
        // Extract with tar into the destination (a directory, or a new name for the copied item).
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory)
        let sourceName = basename(path)
        if exists && isDirectory.boolValue {
            try extract(response.body, into: destination, rename: nil)
        } else {
            let parent = dirname(destination)
            try extract(response.body, into: parent.isEmpty ? "." : parent,
                        rename: (sourceName, basename(destination)))
        }
    }

    /// Pipes the tar stream into `tar -x`, renaming the top entry if asked.
    func extract(_ body: ResponseBody, into directory: String, rename: (String, String)?) throws {
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        var args = ["-x", "-C", directory, "-f", "-"]
        if !archive { args.append("--no-same-owner") }
        if let (from, to) = rename, from != to {
            let escaped = NSRegularExpression.escapedPattern(for: from)
            args += ["--transform", "s,^\(escaped),\(to),"]
        }
        tar.arguments = args
        let pipe = Pipe()
        tar.standardInput = pipe
        try tar.run()
        let sink = FileDescriptorSink(fd: pipe.fileHandleForWriting.fileDescriptor)
        while let chunk = try body.read(max: 256 * 1024) { try sink.write(chunk) }
        try pipe.fileHandleForWriting.close()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw CLIExit(1, "extracting the archive into \(directory) failed") }
        if !quiet, isatty(2) == 1 { err("Successfully copied to \(directory)") }
    }

    func upload(_ path: String, _ container: String, _ destination: String) throws {
        let client = try connectClient()
        if path == "-" {
            try client.putArchive(container, path: destination, fd: 0, copyUIDGID: archive)
            return
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIExit(1, "lstat \(path): no such file or directory")
        }
        // Copying to a path that does not exist yet renames the item: tar it under the new name.
        var target = destination
        var transform: [String] = []
        let name = basename(path)
        if let stat = try? client.statPath(container, path: destination), stat.isDirectory {
            target = destination
        } else {
            target = dirname(destination)
            if target.isEmpty { target = "/" }
            let newName = basename(destination)
            if newName != name { transform = ["--transform", "s,^\(NSRegularExpression.escapedPattern(for: name)),\(newName),"] }
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        let parent = dirname(path)
        tar.arguments = ["-c", "-C", parent.isEmpty ? "." : parent, "-f", "-"] + transform + [name]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        try client.putArchive(container, path: target, fd: pipe.fileHandleForReading.fileDescriptor, copyUIDGID: archive)
        tar.waitUntilExit()
        if !quiet, isatty(2) == 1 { err("Successfully copied to \(container):\(destination)") }
    }
}

/// `berth export`: the container's filesystem as a tar.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a container's filesystem as a tar archive",
        usage: "berth export [OPTIONS] CONTAINER")
    @Option(name: .shortAndLong, help: "Write to a file, instead of STDOUT") var output: String?
    @Argument var container: String

    func run() throws {
        let fd = try openOutput(output, what: "export")
        let client = try connectClient()
        let response = try client.export(container)
        try copyBody(response.body, to: fd)
        if fd != 1 { close(fd) }
    }
}

/// `berth commit`: a new image from a container's changes.
struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Create a new image from a container's changes",
        usage: "berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]")
    @Option(name: .shortAndLong, help: "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")") var author: String?
    @Option(name: .shortAndLong, help: "Commit message") var message: String?
    @Option(name: .shortAndLong, help: "Apply Dockerfile instruction to the created image") var change: [String] = []
    @Flag(name: .shortAndLong, inversion: .prefixedNo, help: "Pause container during commit") var pause = true
    @Argument var container: String
    @Argument var reference: String?

    func run() throws {
        let client = try connectClient()
        var repo: String? = nil, tag: String? = nil
        if let reference { (repo, tag) = splitRepoTag(reference) }
        let response = try client.commit(container, repo: repo, tag: tag, comment: message, author: author,
                                         pause: pause, changes: change)
        out(response.id)
    }
}

/// The last component of a path (`/a/b/` → `b`).
func basename(_ path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
}

/// The path without its last component (`a` → ``, `/a` → `/`).
func dirname(_ path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
}
