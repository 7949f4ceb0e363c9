// What a test daemon may leave on the host, found by what the fixture knows (its
// temporary directory and the container IDs it saw) and removed: mounts, shim
// processes, container processes and cgroups. Never by process name.
import Foundation
import Glibc

enum HostCleanup {
    /// Mount points at or below `dir` (this process's mount namespace), deepest first.
    static func mounts(under dir: String) -> [String] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        var points: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            let point = unescape(String(fields[4]))
            if point == dir || point.hasPrefix(dir + "/") { points.append(point) }
        }
        return points.sorted { depth($0) > depth($1) || (depth($0) == depth($1) && $0 > $1) }
    }

    /// Detaches every mount below `dir`, deepest first; returns the mount points it detached.
    @discardableResult
    static func unmountAll(under dir: String) -> [String] {
        var done: [String] = []
        for _ in 0..<5 {
            let points = mounts(under: dir)
            if points.isEmpty { break }
            for point in points where umount2(point, Int32(MNT_DETACH)) == 0 { done.append(point) }
        }
        return done
    }

    /// Processes whose command line is berth-shim (or berth-runtime) with a path below `dir`
    /// (`--dir`, `--root`, `--bundle`…): the shims and runtimes a test daemon started.
    static func berthProcesses(under dir: String) -> [pid_t] {
        var found: [pid_t] = []
        for pid in allPIDs() where pid != getpid() {
            let argv = commandLine(pid)
            guard let first = argv.first else { continue }
            let name = (first as NSString).lastPathComponent
            guard name.hasPrefix("berth-shim") || name.hasPrefix("berth-runtime") else { continue }
            let underDir = argv.dropFirst().contains { arg in
                let value = arg.split(separator: "=", maxSplits: 1).last.map(String.init) ?? arg
                return value == dir || value.hasPrefix(dir + "/")
            }
            if underDir { found.append(pid) }
        }
        return found
    }

    /// SIGKILLs the shims and runtimes under `dir`; returns their pids.
    @discardableResult
    static func killBerthProcesses(under dir: String) -> [pid_t] {
        let pids = berthProcesses(under: dir)
        for pid in pids { kill(pid, SIGKILL) }
        if !pids.isEmpty { usleep(100_000) }
        return pids
    }

    /// Removes the containers' parent cgroup (`berth`) in every hierarchy where it is empty (a
    /// daemon still running containers keeps its own: rmdir refuses a non-empty cgroup).
    static func removeEmptyParentCgroups() {
        for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            rmdir("/sys/fs/cgroup/\(hierarchy)/berth")
        }
        rmdir("/sys/fs/cgroup/berth")
    }

    /// The cgroup directories a container with this ID may have: `/sys/fs/cgroup/<hierarchy>/berth/<id>`
    /// on v1 and hybrid hosts, `/sys/fs/cgroup/berth/<id>` on v2.
    static func cgroupDirectories(id: String) -> [String] {
        var candidates = ["/sys/fs/cgroup/berth/\(id)"]
        if let hierarchies = try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup") {
            candidates += hierarchies.sorted().map { "/sys/fs/cgroup/\($0)/berth/\(id)" }
        }
        return candidates.filter { isDirectory($0) }
    }

    /// The memory limit file of a container's cgroup: v1 `memory.limit_in_bytes` or v2 `memory.max`.
    static func memoryLimitFile(id: String) -> String? {
        let v1 = "/sys/fs/cgroup/memory/berth/\(id)/memory.limit_in_bytes"
        if FileManager.default.fileExists(atPath: v1) { return v1 }
        let v2 = "/sys/fs/cgroup/berth/\(id)/memory.max"
        if FileManager.default.fileExists(atPath: v2) { return v2 }
        return nil
    }

    /// Thaws, kills what is inside and removes the cgroups of these containers; returns the
    /// directories that were still there (the daemon should have removed them).
    @discardableResult
    static func removeCgroups(ids: Set<String>) -> [String] {
        var leftovers: [String] = []
        for id in ids.sorted() {
            let dirs = cgroupDirectories(id: id)
            guard !dirs.isEmpty else { continue }
            leftovers += dirs
            for dir in dirs where FileManager.default.fileExists(atPath: dir + "/freezer.state") {
                try? "THAWED".write(toFile: dir + "/freezer.state", atomically: false, encoding: .utf8)
            }
            if FileManager.default.fileExists(atPath: dirs[0] + "/cgroup.freeze") {
                try? "0".write(toFile: dirs[0] + "/cgroup.freeze", atomically: false, encoding: .utf8)
            }
            for attempt in 0..<50 {
                var pids = Set<pid_t>()
                for dir in dirs {
                    let text = (try? String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8)) ?? ""
                    for line in text.split(separator: "\n") { if let pid = pid_t(line) { pids.insert(pid) } }
                }
                if pids.isEmpty { break }
                for pid in pids { kill(pid, SIGKILL) }
                usleep(attempt < 10 ? 20_000 : 100_000)
            }
            for dir in dirs {
                for _ in 0..<20 {
                    if rmdir(dir) == 0 || errno == ENOENT { break }
                    usleep(50_000)
                }
            }
        }
        return leftovers
    }

    /// Directory names that look like full container IDs (64 hex digits) up to `depth` levels below `dir`.
    static func containerIDs(under dir: String, depth: Int = 3) -> Set<String> {
        var ids = Set<String>()
        guard depth > 0, let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return ids }
        for entry in entries {
            let path = dir + "/" + entry
            guard isDirectory(path) else { continue }
            if isContainerID(entry) { ids.insert(entry) }
            ids.formUnion(containerIDs(under: path, depth: depth - 1))
        }
        return ids
    }

    static func isContainerID(_ text: some StringProtocol) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// 64-hex tokens in some text (container IDs the docker CLI printed).
    static func idTokens(in text: String) -> Set<String> {
        var ids = Set<String>()
        for token in text.split(whereSeparator: { !$0.isHexDigit }) where isContainerID(token) { ids.insert(String(token)) }
        return ids
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func allPIDs() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// argv of a process (empty if it is gone or a kernel thread).
    static func commandLine(_ pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    static func processExists(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie is gone for our purposes.
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    private static func depth(_ path: String) -> Int { path.split(separator: "/").count }

    /// mountinfo escapes space, tab, newline and backslash as \ooo.
    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let raw = Array(text.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 4 <= raw.count,
               let value = UInt8(String(decoding: raw[(i + 1)..<(i + 4)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
