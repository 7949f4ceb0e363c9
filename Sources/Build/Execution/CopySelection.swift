import Glibc

/// One file-system entry a COPY/ADD will write: where it is read and where it lands.
public struct CopyEntry: Sendable, Equatable {
    /// Absolute path of the source entry (never a symlink that was followed: symlinks inside a
    /// copied directory are copied as symlinks).
    public var source: String
    /// Destination components under the image root (symlinks of the destination's parents resolved).
    public var destination: [String]
    /// The source's type bits (S_IFREG, S_IFDIR, S_IFLNK…).
    public var type: mode_t
    /// True when ADD unpacks this (a local tar archive) into `destination` instead of copying it.
    public var extract: Bool
}

/// Why a COPY/ADD cannot select its sources; the executor adds the instruction's line.
public enum CopyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A source that matches nothing.
    case notFound(String)
    /// A source that leaves the context (`..`, or a symlink pointing out).
    case outsideContext(String)
    /// Several sources and a destination that is not a directory.
    case destinationNotDirectory(String)
    /// `--chown` naming a user or group the image lacks.
    case unknownOwner(String)
    /// `--chmod` that is not octal.
    case badMode(String)
    /// A file-system call failed.
    case system(operation: String, path: String, errno: Int32)
    /// What docker cannot do either, or Berth does not yet.
    case unsupported(String)

    public var description: String {
        switch self {
        case .notFound(let path): "file not found in build context or excluded by .dockerignore: stat \(path): file does not exist"
        case .outsideContext(let path): "forbidden path outside the build context: \(path)"
        case .destinationNotDirectory(let dest): "When using COPY with more than one source file, the destination must be a directory and end with a / (\(dest))"
        case .unknownOwner(let text): "unable to convert uid/gid chown string to host mapping: \(text)"
        case .badMode(let text): "invalid --chmod \(text): only octal modes are supported"
        case .system(let op, let path, let code): "\(op) \(path): \(String(cString: strerror(code)))"
        case .unsupported(let text): text
        }
    }
}

/// Expands COPY/ADD sources in a source root (the context, or a stage's root) and maps them to
/// destinations with docker's rules:
/// - a source directory's *contents* are copied into the destination;
/// - a file goes to `dest/<name>` when `dest` ends in `/` or is a directory in the image, else to `dest`;
/// - several sources need a destination ending in `/`;
/// - wildcards (`*`, `?`, `[…]`) match per path component; a source matching nothing is an error.
public struct CopySelection: Sendable {
    /// The root sources are read from.
    public let sourceRoot: String
    /// Whether leaving the root through `..` or a symlink is an error (the build context) or
    /// clamped (a stage's root, as a container would see it).
    public let refuseEscape: Bool
    /// Patterns (`--exclude`, .dockerignore) whose matches are left out: returns true to exclude.
    public let excluded: @Sendable (String) -> Bool
    /// Content digests already known for files under the root (a synced context's).
    public let knownDigests: ContextDigests

    /// A selection over `sourceRoot`.
    public init(sourceRoot: String, refuseEscape: Bool, excluded: @escaping @Sendable (String) -> Bool = { _ in false },
                knownDigests: ContextDigests = ContextDigests()) {
        self.sourceRoot = sourceRoot
        self.refuseEscape = refuseEscape
        self.excluded = excluded
        self.knownDigests = knownDigests
    }

    /// The entries `sources` select, landing under `destination` (absolute, `/`-suffixed when
    /// meant as a directory) in the image whose root is readable at `view`.
    public func entries(sources: [String], destination: String, view: String, extractArchives: Bool, parents: Bool = false) throws(CopyError) -> [CopyEntry] {
        var matches: [(components: [String], given: String)] = []
        for source in sources {
            let found = try match(source)
            if found.isEmpty { throw .notFound(source) }
            matches += found.map { ($0, source) }
        }
        let destIsDirectoryText = destination.hasSuffix("/") || destination.hasSuffix("/.") || destination == "."
        if matches.count > 1 && !destIsDirectoryText && !parents { throw .destinationNotDirectory(destination) }
        let destParts: [String]
        do {
            destParts = try ScopedPath.resolve(destination, in: view, followFinal: true, refuseEscape: false)
        } catch {
            throw .outsideContext(destination)
        }
        let destIsDirectory = destIsDirectoryText || Self.isDirectory(ScopedPath.join(view, destParts))
        var result: [CopyEntry] = []
        for (components, given) in matches {
            let path = ScopedPath.join(sourceRoot, components)
            var st = stat()
            guard lstat(path, &st) == 0 else { throw .notFound(given) }
            // --parents keeps the source's path under the destination (a directory's own name too).
            let isDirectory = st.st_mode & S_IFMT == S_IFDIR
            let base = parents ? (isDirectory ? components : Array(components.dropLast())) : []
            if isDirectory {
                try walk(path, relative: components, destination: destParts + base, into: &result)
            } else {
                let name = components.last ?? ""
                let isArchive = extractArchives && st.st_mode & S_IFMT == S_IFREG && Self.isArchive(path)
                let target = isArchive ? destParts : (destIsDirectory || parents ? destParts + base + [name] : destParts)
                result.append(CopyEntry(source: path, destination: target, type: st.st_mode & S_IFMT, extract: isArchive))
            }
        }
        return result
    }

    /// The source paths `pattern` names, as components under the root (empty when nothing matches).
    func match(_ pattern: String) throws(CopyError) -> [[String]] {
        let parts = ScopedPath.components(pattern)
        let hasWildcard = parts.contains { $0.contains("*") || $0.contains("?") || $0.contains("[") }
        if !hasWildcard {
            let resolved: [String]
            do {
                resolved = try ScopedPath.resolve(pattern, in: sourceRoot, followFinal: true, refuseEscape: refuseEscape)
            } catch {
                throw .outsideContext(pattern)
            }
            if parts.filter({ $0 != "." }).isEmpty { return [resolved] }
            if excluded(resolved.joined(separator: "/")) { return [] }
            var st = stat()
            return lstat(ScopedPath.join(sourceRoot, resolved), &st) == 0 ? [resolved] : []
        }
        if parts.contains("..") { throw .outsideContext(pattern) }
        var candidates: [[String]] = [[]]
        for part in parts where part != "." {
            var next: [[String]] = []
            for prefix in candidates {
                let dir = ScopedPath.join(sourceRoot, prefix)
                for name in Self.list(dir) where fnmatch(part, name, 0) == 0 {
                    next.append(prefix + [name])
                }
            }
            candidates = next
        }
        return candidates.filter { !excluded($0.joined(separator: "/")) }.sorted { $0.joined(separator: "/") < $1.joined(separator: "/") }
    }

    private func walk(_ directory: String, relative: [String], destination: [String], into result: inout [CopyEntry]) throws(CopyError) {
        var st = stat()
        guard lstat(directory, &st) == 0 else { throw .system(operation: "lstat", path: directory, errno: errno) }
        result.append(CopyEntry(source: directory, destination: destination, type: S_IFDIR, extract: false))
        for name in Self.list(directory) {
            let rel = relative + [name]
            if excluded(rel.joined(separator: "/")) { continue }
            let path = directory + "/" + name
            guard lstat(path, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFDIR {
                try walk(path, relative: rel, destination: destination + [name], into: &result)
            } else {
                result.append(CopyEntry(source: path, destination: destination + [name], type: st.st_mode & S_IFMT, extract: false))
            }
        }
    }

    /// The names in `directory`, sorted bytewise ("." and ".." left out).
    static func list(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether the file starts like a tar, gzip, bzip2, xz or zstd stream (ADD extracts those).
    static func isArchive(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 512)
        let n = read(fd, &header, 512)
        guard n >= 6 else { return false }
        if header[0] == 0x1f && header[1] == 0x8b { return true }
        if header[0] == 0x42 && header[1] == 0x5a && header[2] == 0x68 { return true }
        if header[0...5] == [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] { return true }
        if header[0...3] == [0x28, 0xb5, 0x2f, 0xfd] { return true }
        return n >= 262 && Array(header[257..<262]) == Array("ustar".utf8)
    }
}

extension CopySelection {
    /// The digest of what `sources` select in the source root, for the cache: each match's path,
    /// and under it every entry's relative path, type, mode, size, link target and content hash
    /// (owners only when `withOwners`: copies from the context are owned by root whatever they were).
    /// Never mtimes; content hashes come from `knownDigests` when it has the file. Throws `notFound`
    /// for a source matching nothing, as the copy would.
    public func digest(sources: [String], withOwners: Bool) throws(CopyError) -> String {
        var lines: [String] = []
        for source in sources {
            let found = try match(source)
            if found.isEmpty { throw .notFound(source) }
            for components in found {
                lines.append("@" + components.joined(separator: "/"))
                try describe(ScopedPath.join(sourceRoot, components), relative: components, prefix: "", withOwners: withOwners, into: &lines)
            }
        }
        return CopyWriter.hash(lines.joined(separator: "\n"))
    }

    private func describe(_ path: String, relative: [String], prefix: String, withOwners: Bool, into lines: inout [String]) throws(CopyError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw .system(operation: "lstat", path: path, errno: errno) }
        var line = "\(prefix)\u{0}\(st.st_mode)"
        if withOwners { line += "\u{0}\(st.st_uid):\(st.st_gid)" }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            let hash: String
            if let known = knownDigests.digest(of: st) { hash = known } else { hash = try CopyWriter.contentHash(path) }
            line += "\u{0}\(st.st_size)\u{0}" + hash
            lines.append(line)
        case S_IFLNK:
            lines.append(line + "\u{0}" + ScopedPath.readLink(path))
        case S_IFDIR:
            lines.append(line)
            for name in Self.list(path) {
                let rel = relative + [name]
                if excluded(rel.joined(separator: "/")) { continue }
                try describe(path + "/" + name, relative: rel, prefix: prefix + "/" + name, withOwners: withOwners, into: &lines)
            }
        default:
            lines.append(line)
        }
    }
}
