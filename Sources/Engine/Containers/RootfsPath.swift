import Glibc

/// Resolves a path inside a container's root to a host path, as the container would see it:
/// symlinks are followed with "/" meaning the root and ".." stopping at it, so the result is
/// always under `rootfs`. (A container that swaps a symlink while this runs can race it; the
/// archive endpoints accept that, as docker's did before it joined the container's mount ns.)
enum RootfsPath {
    static func resolve(_ path: String, in rootfs: String, followFinal: Bool) -> String? {
        var resolved: [String] = []
        var pending = path.split(separator: "/").map(String.init)
        var links = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." { _ = resolved.popLast(); continue }
            let candidate = rootfs + "/" + (resolved + [name]).joined(separator: "/")
            var st = stat()
            if lstat(candidate, &st) != 0 {
                // A missing final component is fine (a destination to create); a missing middle is not.
                if pending.isEmpty { resolved.append(name); break }
                return nil
            }
            if st.st_mode & S_IFMT == S_IFLNK && (!pending.isEmpty || followFinal) {
                links += 1
                guard links <= 40 else { return nil }
                var buffer = [CChar](repeating: 0, count: 4097)
                let n = readlink(candidate, &buffer, 4096)
                guard n >= 0 else { return nil }
                let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved.append(name)
        }
        return resolved.isEmpty ? rootfs : rootfs + "/" + resolved.joined(separator: "/")
    }
}
