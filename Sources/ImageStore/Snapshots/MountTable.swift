import Glibc

/// Reads /proc/self/mountinfo: which paths are mount points, and what is mounted below a path.
enum MountTable {
    /// Mount points as listed (escapes like `\040` decoded), in mount order.
    static func mountPoints() -> [String] {
        guard let file = fopen("/proc/self/mountinfo", "re") else { return [] }
        defer { fclose(file) }
        var points: [String] = []
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).split(separator: " ", maxSplits: 5)
            if fields.count >= 5 { points.append(unescape(fields[4])) }
        }
        return points
    }

    /// True when `path` (canonical) is a mount point.
    static func isMounted(_ path: String) -> Bool {
        mountPoints().contains(path)
    }

    /// Mounts at or below `path` (canonical), deepest (latest) first.
    static func mounts(under path: String) -> [String] {
        let prefix = path == "/" ? "/" : path + "/"
        return mountPoints().filter { $0 == path || $0.hasPrefix(prefix) }.reversed()
    }

    /// `path` with symlinks resolved, or `path` itself when it cannot be resolved.
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count {
                let digits = utf8[(i + 1)...(i + 3)]
                if digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) {
                    bytes.append(digits.reduce(0) { $0 * 8 + ($1 - UInt8(ascii: "0")) })
                    i += 4
                    continue
                }
            }
            bytes.append(utf8[i])
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
