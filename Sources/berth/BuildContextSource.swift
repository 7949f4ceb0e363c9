import DockerfileCore
import Foundation
import Glibc

/// Where a build's context and Dockerfile are, and what `.dockerignore` (or
/// `<Dockerfile>.dockerignore`) leaves out: the rules docker's CLI applies, shared by the tar
/// upload and the incremental transfer.
struct BuildContextSource {
    /// The context directory, absolute and clean.
    let root: String
    /// The Dockerfile, absolute.
    let dockerfilePath: String
    /// Whether the Dockerfile lies inside the context.
    let inside: Bool
    /// The Dockerfile's path relative to the context (when inside).
    let relativeDockerfile: String?
    let ignore: DockerIgnore

    /// One context entry the walk keeps.
    struct Item {
        var relative: String
        var path: String
        var info: stat
        /// An excluded directory listed only because something under it is re-included (`!`).
        var excluded: Bool
    }

    static func resolve(context: String, dockerfile: String?) throws -> BuildContextSource {
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
        let relative = inside ? String(dockerfilePath.dropFirst(root.count + 1)) : nil
        var ignoreText: String?
        for candidate in DockerIgnore.candidateFiles(dockerfile: relative ?? "Dockerfile") {
            let path = candidate.hasSuffix(".dockerignore") && candidate != ".dockerignore" && !inside
                ? dockerfilePath + ".dockerignore" : root + "/" + candidate
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { ignoreText = text; break }
        }
        let ignore: DockerIgnore
        do { ignore = try DockerIgnore.forContext(ignoreFile: ignoreText, dockerfile: relative ?? "Dockerfile") } catch {
            throw CLIExit(1, "error checking context: \(error)")
        }
        return BuildContextSource(root: root, dockerfilePath: dockerfilePath, inside: inside, relativeDockerfile: relative, ignore: ignore)
    }

    /// The entries to send, parents first, names sorted bytewise: what `.dockerignore` keeps, and
    /// excluded directories only when something under them is kept.
    func items() -> [Item] {
        var items: [Item] = []
        walk(root, relative: "", into: &items)
        return items
    }

    private func walk(_ directory: String, relative: String, into items: inout [Item]) {
        for name in Self.names(directory) {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let path = directory + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let isDirectory = st.st_mode & S_IFMT == S_IFDIR
            if ignore.isExcluded(rel) {
                guard isDirectory, !ignore.canSkipDirectory(rel) else { continue }
                var inner: [Item] = []
                walk(path, relative: rel, into: &inner)
                if !inner.isEmpty { items.append(Item(relative: rel, path: path, info: st, excluded: true)); items += inner }
                continue
            }
            items.append(Item(relative: rel, path: path, info: st, excluded: false))
            if isDirectory { walk(path, relative: rel, into: &items) }
        }
    }

    /// The names in `directory` ("." and ".." left out), sorted bytewise.
    static func names(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
