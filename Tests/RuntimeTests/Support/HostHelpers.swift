import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One line of /proc/<pid>/mountinfo.
struct MountInfoEntry {
    var root: String
    var mountPoint: String
    /// Per-mount options (rw/ro, nosuid, ...).
    var options: [String]
    /// Optional fields: shared:N, master:N, ...
    var optional: [String]
    var fsType: String
    var source: String
    /// Superblock options (size=, mode=, ...).
    var superOptions: [String]

    var allOptions: [String] { options + superOptions }
}

/// Parses mountinfo text (as printed by `cat /proc/self/mountinfo`).
func parseMountInfo(_ text: String) -> [MountInfoEntry] {
    text.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ").map { unescapeMountField(String($0)) }
        guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 4 else { return nil }
        return MountInfoEntry(
            root: fields[3], mountPoint: fields[4],
            options: fields[5].split(separator: ",").map(String.init),
            optional: Array(fields[6..<dash]),
            fsType: fields[dash + 1], source: fields[dash + 2],
            superOptions: fields[dash + 3].split(separator: ",").map(String.init))
    }
}

private func unescapeMountField(_ field: String) -> String {
    field.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
        .replacingOccurrences(of: "\\012", with: "\n").replacingOccurrences(of: "\\134", with: "\\")
}

/// The test process' own mount table.
func hostMounts() -> [MountInfoEntry] {
    parseMountInfo((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "")
}

/// Controller (or "unified", "systemd") → host directory of `pid`'s cgroup, from /proc/<pid>/cgroup.
func hostCgroupDirs(pid: Int32) -> [String: String] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
    var dirs: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { continue }
        let controllers = parts[1]
        let mountName: String
        if controllers.isEmpty {
            mountName = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified") ? "unified" : ""
        } else if controllers.hasPrefix("name=") {
            mountName = String(controllers.dropFirst(5))
        } else {
            mountName = controllers
        }
        let base = mountName.isEmpty ? "/sys/fs/cgroup" : "/sys/fs/cgroup/" + mountName
        dirs[mountName.isEmpty ? "unified" : mountName] = base + (parts[2] == "/" ? "" : parts[2])
        for single in controllers.split(separator: ",") where controllers.contains(",") {
            dirs[String(single)] = dirs[mountName]
        }
    }
    return dirs
}

/// Every cgroup directory named by `relative` (e.g. "/berth-e2e-x/ctr") across the mounted hierarchies.
func cgroupDirsEverywhere(_ relative: String) -> [String] {
    let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
    var dirs = hierarchies.map { "/sys/fs/cgroup/\($0)\(relative)" }
    dirs.append("/sys/fs/cgroup\(relative)")
    return dirs
}

/// Removes `relative` and its parents up to (excluding) the hierarchy root, in every hierarchy.
func removeCgroupPath(_ relative: String) {
    var components = relative.split(separator: "/").map(String.init)
    while !components.isEmpty {
        let path = "/" + components.joined(separator: "/")
        for dir in cgroupDirsEverywhere(path) where FileManager.default.fileExists(atPath: dir) {
            rmdir(dir)
        }
        components.removeLast()
    }
}

/// The value of a "Key:\tvalue" line of /proc/<pid>/status text.
func statusField(_ status: String, _ key: String) -> String? {
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }
    return nil
}

/// Lines of output, trimmed, empty ones dropped.
func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// File contents, or "" if unreadable.
func readFile(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The inode of a path (following symlinks), e.g. a namespace file.
func inode(of path: String) -> UInt64? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return UInt64(st.st_ino)
}

/// Whether a process with this pid exists (and is not a zombie).
func processAlive(_ pid: Int32) -> Bool {
    let status = readFile("/proc/\(pid)/status")
    guard !status.isEmpty else { return false }
    return !(statusField(status, "State")?.hasPrefix("Z") ?? false)
}

/// A short unique token for host-side names (netns, cgroups).
func uniqueToken() -> String { String(UUID().uuidString.lowercased().prefix(8)) }
