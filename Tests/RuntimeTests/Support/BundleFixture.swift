import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A temporary OCI bundle (busybox rootfs + config.json as a plain dictionary),
/// a private `--root` for the runtime under test, and cleanup that always runs.
///
/// Use: `let fx = try BundleFixture(); defer { fx.cleanup() }`.
final class BundleFixture {
    /// Unique container ID for this test.
    let id: String
    /// Everything this fixture makes lives under here.
    let dir: String
    let bundle: String
    let rootfs: String
    /// The runtime's `--root`.
    let stateRoot: String
    let binary: String
    let isRunc: Bool
    /// config.json, written by `writeConfig()` (and by `run`/`create`).
    var config: [String: Any]
    /// Extra IDs created with this fixture's root, deleted at cleanup.
    var extraIDs: [String] = []
    private var cleanups: [() -> Void] = []
    private var cgroupDirs: Set<String> = []

    init(_ name: String = #function) throws {
        let runtime = RuntimeBinary.shared
        binary = try #require(runtime.path, Comment(rawValue: runtime.problem ?? "no runtime binary"))
        isRunc = runtime.isRunc
        let stem = name.prefix { $0 != "(" }.filter { $0.isLetter || $0.isNumber }.prefix(24)
        let suffix = UUID().uuidString.lowercased().prefix(8)
        id = "e2e-\(stem)-\(suffix)"
        dir = "/tmp/berth-e2e-\(suffix)"
        bundle = dir + "/bundle"
        rootfs = bundle + "/rootfs"
        stateRoot = dir + "/state"
        config = BundleFixture.defaultConfig()
        try BundleFixture.makeRootfs(at: rootfs)
        try FileManager.default.createDirectory(atPath: stateRoot, withIntermediateDirectories: true)
        chmod(dir, 0o755)
        chmod(bundle, 0o755)
        writeConfig()
    }

    // MARK: - The bundle

    /// runc `spec`'s default, except: terminal false, root writable, hostname "berth".
    static func defaultConfig() -> [String: Any] {
        let caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        return [
            "ociVersion": "1.0.2",
            "process": [
                "terminal": false,
                "user": ["uid": 0, "gid": 0],
                "args": ["sh"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                "cwd": "/",
                "capabilities": ["bounding": caps, "effective": caps, "permitted": caps, "ambient": caps],
                "rlimits": [["type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024]],
                "noNewPrivileges": true,
            ] as [String: Any],
            "root": ["path": "rootfs", "readonly": false] as [String: Any],
            "hostname": "berth",
            "mounts": [
                ["destination": "/proc", "type": "proc", "source": "proc"],
                ["destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
                ["destination": "/dev/pts", "type": "devpts", "source": "devpts",
                 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]],
                ["destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
                ["destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
                 "options": ["nosuid", "noexec", "nodev"]],
                ["destination": "/sys", "type": "sysfs", "source": "sysfs",
                 "options": ["nosuid", "noexec", "nodev", "ro"]],
                ["destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                 "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]],
            ] as [[String: Any]],
            "linux": [
                "resources": ["devices": [["allow": false, "access": "rwm"]]],
                "namespaces": [["type": "pid"], ["type": "network"], ["type": "ipc"], ["type": "uts"], ["type": "mount"]],
                "maskedPaths": [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            ] as [String: Any],
        ]
    }

    /// busybox-static with its applet links, /etc/passwd and /etc/group, and the usual empty dirs.
    static func makeRootfs(at rootfs: String) throws {
        let fm = FileManager.default
        for sub in ["bin", "proc", "sys", "dev", "tmp", "etc", "root", "home/app"] {
            try fm.createDirectory(atPath: rootfs + "/" + sub, withIntermediateDirectories: true)
        }
        chmod(rootfs + "/tmp", 0o1777)
        try fm.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
        for applet in BundleFixture.applets where applet != "busybox" {
            _ = symlink("busybox", rootfs + "/bin/" + applet)
        }
        try """
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000:app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false

            """.write(toFile: rootfs + "/etc/passwd", atomically: true, encoding: .utf8)
        try """
            root:x:0:
            app:x:1000:
            nobody:x:65534:

            """.write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
    }

    /// `busybox --list`, once per test run.
    static let applets: [String] = {
        runCommand("/bin/busybox", ["--list"]).stdout.split(separator: "\n").map(String.init)
    }()

    func writeConfig() {
        let data = try! JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        _ = FileManager.default.createFile(atPath: bundle + "/config.json", contents: data)
    }

    /// Appends an entry to `mounts`.
    func addMount(_ destination: String, type: String? = nil, source: String, options: [String] = []) {
        var mount: [String: Any] = ["destination": destination, "source": source, "options": options]
        if let type { mount["type"] = type }
        var mounts = config["mounts"] as? [[String: Any]] ?? []
        mounts.append(mount)
        config["mounts"] = mounts
    }

    /// Sets (or adds) a namespace entry, optionally joining `path`.
    func setNamespace(_ type: String, path: String? = nil) {
        var namespaces = (config[path: "linux.namespaces"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != type }
        var entry: [String: Any] = ["type": type]
        if let path { entry["path"] = path }
        namespaces.append(entry)
        config[path: "linux.namespaces"] = namespaces
    }

    /// A host directory inside the fixture's area (removed at cleanup).
    func makeHostDir(_ name: String) -> String {
        let path = dir + "/" + name
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o755)
        return path
    }

    // MARK: - Driving the runtime

    /// `<binary> --root <stateRoot> <arguments>`.
    @discardableResult
    func runtime(_ arguments: [String], stdin: String? = nil, stdoutPath: String? = nil, timeout: TimeInterval = 20) -> CommandResult {
        runCommand(binary, ["--root", stateRoot] + arguments, stdin: stdin, stdoutPath: stdoutPath, timeout: timeout)
    }

    /// Sets `process.args`, writes config.json and runs the container to completion.
    @discardableResult
    func run(_ args: [String]? = nil, stdin: String? = nil, timeout: TimeInterval = 20) -> CommandResult {
        if let args { config[path: "process.args"] = args }
        writeConfig()
        return runtime(["run", "--bundle", bundle, id], stdin: stdin, timeout: timeout)
    }

    /// `run` of `sh -c script`.
    @discardableResult
    func sh(_ script: String, stdin: String? = nil) -> CommandResult {
        run(["sh", "-c", script], stdin: stdin)
    }

    /// Writes config.json and `create`s the container; its stdout goes to `stdoutPath` if given.
    @discardableResult
    func create(_ args: [String]? = nil, id: String? = nil, extra: [String] = [], stdoutPath: String? = nil) -> CommandResult {
        if let args { config[path: "process.args"] = args }
        writeConfig()
        return runtime(["create", "--bundle", bundle] + extra + [id ?? self.id], stdoutPath: stdoutPath)
    }

    /// Creates and starts a long-running container; records an issue and throws if it does not reach "running".
    func startLongRunning(_ args: [String] = ["sleep", "1000"], stdoutPath: String? = nil) throws -> Int32 {
        let created = create(args, stdoutPath: stdoutPath)
        try #require(created.status == 0, "create failed: \(created)")
        let started = runtime(["start", id])
        try #require(started.status == 0, "start failed: \(started)")
        try #require(waitForStatus("running"), "container never reached running: \(String(describing: state()))")
        return try #require(statePid())
    }

    /// `state ID` parsed, or nil when the runtime refuses.
    func state(_ id: String? = nil) -> [String: Any]? {
        let result = runtime(["state", id ?? self.id])
        guard result.status == 0 else { return nil }
        return jsonObject(result.stdout)
    }

    func statePid(_ id: String? = nil) -> Int32? {
        (state(id)?["pid"] as? Int).map { Int32($0) }
    }

    /// Polls `state` until its status is `status`.
    func waitForStatus(_ status: String, id: String? = nil, timeout: TimeInterval = 5) -> Bool {
        poll(timeout: timeout) { state(id)?["status"] as? String == status }
    }

    /// Remembers the host cgroup dirs of `pid` so cleanup can remove leftovers, and returns them.
    @discardableResult
    func trackCgroups(of pid: Int32) -> [String: String] {
        let dirs = hostCgroupDirs(pid: pid)
        cgroupDirs.formUnion(dirs.values)
        return dirs
    }

    /// Registers extra cleanup work (unmounts, netns removal), run in reverse order.
    func onCleanup(_ work: @escaping () -> Void) { cleanups.append(work) }

    /// `delete --force` every container, undo registered work, remove cgroup dirs and temp files.
    func cleanup() {
        for cid in [id] + extraIDs {
            _ = runtime(["delete", "--force", cid], timeout: 10)
        }
        for work in cleanups.reversed() { work() }
        for dir in cgroupDirs.sorted(by: { $0.count > $1.count }) where FileManager.default.fileExists(atPath: dir) {
            rmdir(dir)
        }
        // The runtime's default parent (/berth, for a config without cgroupsPath), once empty.
        removeCgroupPath("/berth")
        // Anything still mounted under our area (a failing runtime may leak) must go before rm -rf.
        for mount in hostMounts().map(\.mountPoint).filter({ $0.hasPrefix(dir) }).sorted(by: { $0.count > $1.count }) {
            umount2(mount, Int32(MNT_DETACH))
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - Checks shared by several tests

    /// Host mounts whose source or mount point mentions this fixture's area.
    func leakedMounts() -> [MountInfoEntry] {
        hostMounts().filter { $0.mountPoint.hasPrefix(dir) || $0.root.hasPrefix(dir) }
    }

    /// Entries in the runtime's root that mention `id` (the state dir and friends).
    func stateEntries(for id: String? = nil) -> [String] {
        let cid = id ?? self.id
        let entries = (FileManager.default.enumerator(atPath: stateRoot)?.allObjects as? [String]) ?? []
        return entries.filter { $0.contains(cid) }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Reads or writes a nested value by a dotted path (`"process.user.uid"`), creating dictionaries on the way.
    subscript(path path: String) -> Any? {
        get {
            var current: Any? = self
            for component in path.split(separator: ".") {
                current = (current as? [String: Any])?[String(component)]
            }
            return current
        }
        set { setValue(newValue, at: path.split(separator: ".").map(String.init)[...]) }
    }

    private mutating func setValue(_ value: Any?, at components: ArraySlice<String>) {
        guard let first = components.first else { return }
        if components.count == 1 {
            self[first] = value
            return
        }
        var child = self[first] as? [String: Any] ?? [:]
        child.setValue(value, at: components.dropFirst())
        self[first] = child
    }
}
