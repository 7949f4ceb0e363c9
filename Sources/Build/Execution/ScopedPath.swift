import Glibc

/// A path resolved inside a root directory, symlinks followed as if the root were `/`
/// (docker's FollowSymlinkInScope): the components of the real location under the root.
///
/// Two policies: in an image's root an absolute symlink or a `..` past the top stays inside the
/// root (the container would see it so); in the build context either is an escape and refused.
public enum ScopedPath {
    /// Why a path cannot be resolved.
    public enum Failure: Error, Sendable, Equatable {
        /// A symlink or `..` on the way leads outside the root (context policy only).
        case escapes(String)
        /// More than 40 symlinks on the way.
        case tooManyLinks(String)
    }

    /// Resolves `path` (absolute or relative to the root) under `root`. `followFinal` follows a
    /// symlink in the last component too. With `refuseEscape`, leaving the root is an error.
    public static func resolve(_ path: String, in root: String, followFinal: Bool, refuseEscape: Bool) throws(Failure) -> [String] {
        var pending = components(path)
        var resolved: [String] = []
        var links = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if resolved.isEmpty {
                    if refuseEscape { throw .escapes(path) }
                    continue
                }
                resolved.removeLast()
                continue
            }
            let candidate = resolved + [part]
            let isLast = pending.allSatisfy { $0 == "." || $0.isEmpty }
            var st = stat()
            let full = join(root, candidate)
            guard lstat(full, &st) == 0, st.st_mode & S_IFMT == S_IFLNK, !isLast || followFinal else {
                resolved = candidate
                continue
            }
            links += 1
            if links > 40 { throw .tooManyLinks(path) }
            let target = readLink(full)
            if target.hasPrefix("/") {
                if refuseEscape { throw .escapes(path) }
                resolved = []
            }
            pending = components(target) + pending
        }
        return resolved
    }

    /// `root` joined with `parts`.
    public static func join(_ root: String, _ parts: [String]) -> String {
        parts.isEmpty ? root : root + "/" + parts.joined(separator: "/")
    }

    /// The non-empty components of `path`.
    public static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The target of symlink `path` ("" when unreadable).
    public static func readLink(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
