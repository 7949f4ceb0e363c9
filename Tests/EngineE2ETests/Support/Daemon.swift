// A berthd for the end-to-end tests: started from the build directory the test bundle
// lives in, on a private root, exec root and socket under /tmp, and driven with the
// real docker CLI (and docker-py) as processes. Teardown leaves nothing on the host.
import Foundation
import Glibc
import Testing

/// True when the tests run as root (berthd needs it: mounts, cgroups, namespaces).
let isRoot = getuid() == 0

/// The package root (…/Tests/EngineE2ETests/Support/Daemon.swift → …).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// Why the daemon tests cannot run here, or nil.
let daemonUnavailableReason: String? = {
    if !isRoot { return "the end-to-end tests need root (berthd mounts, creates cgroups and namespaces): run swift test as root" }
    if !FileManager.default.isExecutableFile(atPath: "/bin/busybox") {
        return "the end-to-end tests need /bin/busybox (apt-get install busybox-static)"
    }
    if findExecutable("docker") == nil { return "the end-to-end tests need the docker CLI on PATH" }
    return nil
}()

func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
    }
    return nil
}

final class Daemon: @unchecked Sendable {
    /// The daemon of the suite being run (set by the `.berthDaemon` trait).
    @TaskLocal static var current: Daemon?

    let label: String
    let dir: String
    var root: String { dir + "/root" }
    var execRoot: String { dir + "/run" }
    var socket: String { dir + "/berth.sock" }
    var host: String { "unix://" + socket }
    var logPath: String { dir + "/berthd.log" }
    let binDir: String
    let startedAt = Date()
    /// This daemon's default bridge (unique, so test daemons never share one).
    let bridge = HostNetwork.uniqueBridgeName()
    /// More berthd flags (e.g. `--registry-mirror`).
    let extraArguments: [String]

    private let lock = NSLock()
    private var process: ChildProcess?
    private var seenIDs = Set<String>()
    private var launches = 0

    /// The environment of client processes: DOCKER_HOST pointing at this daemon, a private
    /// docker config directory (no hints, no credentials of the host).
    var environment: [String: String] {
        baseEnvironment(["DOCKER_HOST": host, "DOCKER_CONFIG": dir + "/docker-config", "DOCKER_CLI_HINTS": "false"])
    }

    init(label: String, arguments: [String] = []) throws {
        self.label = label
        extraArguments = arguments
        binDir = try Daemon.findBinDir()
        var template = Array("/tmp/berth-e2e-d-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SpawnError("mkdtemp: \(String(cString: strerror(errno)))") }
        dir = String(cString: made)
        try FileManager.default.createDirectory(atPath: dir + "/docker-config", withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/docker-config/config.json"))
    }

    /// Creates, launches and fills (busybox:latest) a daemon.
    static func start(label: String, arguments: [String] = []) throws -> Daemon {
        let daemon = try Daemon(label: label, arguments: arguments)
        do {
            try daemon.launch()
            try daemon.importBusybox()
        } catch {
            daemon.tearDown()
            throw error
        }
        return daemon
    }

    /// The directory holding berthd, berth-shim and berth-runtime: where the test bundle was built.
    static func findBinDir() throws -> String {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["BERTH_E2E_BIN_DIR"] { candidates.append(explicit) }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent)
        }
        let bundle = Bundle.main.bundleURL.resolvingSymlinksInPath()
        candidates += [bundle.path, bundle.deletingLastPathComponent().path]
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates += [argv0.deletingLastPathComponent().path, argv0.deletingLastPathComponent().deletingLastPathComponent().path]
        for dir in candidates where FileManager.default.isExecutableFile(atPath: dir + "/berthd") {
            for tool in ["berth-shim", "berth-runtime"] where !FileManager.default.isExecutableFile(atPath: dir + "/" + tool) {
                throw SpawnError("\(dir)/berthd exists but \(tool) does not: build it with the same --scratch-path (swift build --product \(tool))")
            }
            return dir
        }
        throw SpawnError("berthd not found beside the test bundle (looked in \(candidates.joined(separator: ", "))): "
            + "build it first with the same scratch path, e.g. swift build --scratch-path .build-e2e --product berthd "
            + "(and berth-shim, berth-runtime), or set BERTH_E2E_BIN_DIR")
    }

    // MARK: The daemon process

    var pid: pid_t? { lock.withLock { process?.pid } }

    /// Starts berthd and waits for `GET /_ping` to answer OK.
    func launch(timeout: Double = 30) throws {
        let child = try ChildProcess.spawn(
            [binDir + "/berthd", "--root", root, "--exec-root", execRoot, "-H", host, "--bridge", bridge] + extraArguments,
            environment: baseEnvironment(), stdout: .file(logPath), stderr: .file(logPath))
        lock.withLock {
            process = child
            launches += 1
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if child.poll() {
                throw SpawnError("berthd exited with \(child.exitStatus ?? -1) before answering /_ping; its log:\n\(log())")
            }
            if ping() { return }
            usleep(50_000)
        }
        throw SpawnError("berthd did not answer GET /_ping within \(Int(timeout)) s; its log:\n\(log())")
    }

    /// True when `GET /_ping` answers 200 OK.
    func ping(timeout: Double = 2) -> Bool {
        guard let response = try? UnixHTTP.request(socket: socket, method: "GET", path: "/_ping", timeout: timeout) else { return false }
        return response.status == 200 && response.text == "OK"
    }

    /// Whether the berthd process is still alive.
    var isRunning: Bool { lock.withLock { process.map { !$0.poll() } ?? false } }

    /// kill -9 of berthd (containers and shims keep running: live restore).
    func killHard() {
        guard let child = lock.withLock({ process }) else { return }
        kill(child.pid, SIGKILL)
        _ = child.wait(seconds: 10)
    }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    func terminate(grace: Double = 10) {
        guard let child = lock.withLock({ process }) else { return }
        if !child.poll() {
            kill(child.pid, SIGTERM)
            if !child.wait(seconds: grace) {
                kill(child.pid, SIGKILL)
                _ = child.wait(seconds: 5)
            }
        }
    }

    /// The daemon's log so far (stdout and stderr of every launch).
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)"
    }

    // MARK: Clients

    /// Runs the docker CLI against this daemon. A timeout kills the client and records an issue.
    @discardableResult
    func docker(_ args: [String], stdin: Data? = nil, timeout: Double = 30,
                sourceLocation: SourceLocation = #_sourceLocation) -> CommandResult {
        let result = runCommand(["docker"] + args, environment: environment, stdin: stdin, timeout: timeout)
        noteIDs(in: result.stdout)
        if result.timedOut {
            Issue.record("docker command timed out (killed): \(result)", sourceLocation: sourceLocation)
        }
        return result
    }

    @discardableResult
    func docker(_ args: String..., stdin: Data? = nil, timeout: Double = 30,
                sourceLocation: SourceLocation = #_sourceLocation) -> CommandResult {
        docker(args, stdin: stdin, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Runs a bash script (with pipefail) whose docker commands talk to this daemon.
    @discardableResult
    func shell(_ script: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) -> CommandResult {
        let result = runCommand(["bash", "-o", "pipefail", "-c", script], environment: environment, timeout: timeout)
        noteIDs(in: result.stdout)
        if result.timedOut {
            Issue.record("shell command timed out (killed): \(result)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// Runs a docker command that must succeed; records an issue (with everything it printed) otherwise.
    @discardableResult
    func dockerOK(_ args: String..., stdin: Data? = nil, timeout: Double = 30,
                  sourceLocation: SourceLocation = #_sourceLocation) -> CommandResult {
        let result = docker(args, stdin: stdin, timeout: timeout, sourceLocation: sourceLocation)
        if result.status != 0 && !result.timedOut {
            Issue.record("docker command failed: \(result)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// A raw API request on the daemon's socket.
    func api(_ method: String, _ path: String, json: String? = nil, timeout: Double = 10) throws -> HTTPResponse {
        try UnixHTTP.request(socket: socket, method: method, path: path,
                             headers: json == nil ? [:] : ["Content-Type": "application/json"],
                             body: json.map { Data($0.utf8) }, timeout: timeout)
    }

    /// The full ID of a container (by name or ID), or nil.
    func containerID(_ nameOrID: String) -> String? {
        let r = docker("inspect", "-f", "{{.Id}}", nameOrID)
        return r.status == 0 ? r.out : nil
    }

    func noteIDs(in text: String) {
        let ids = HostCleanup.idTokens(in: text)
        if !ids.isEmpty { lock.withLock { seenIDs.formUnion(ids) } }
    }

    /// busybox:latest from Debian's busybox-static (scripts/make-busybox-rootfs), imported with CMD ["sh"].
    func importBusybox() throws {
        let rootfs = dir + "/busybox-rootfs"
        let make = runCommand([packageRoot + "/scripts/make-busybox-rootfs", rootfs], timeout: 60)
        guard make.status == 0 else { throw SpawnError("make-busybox-rootfs failed: \(make)") }
        let r = shell("tar -C '\(rootfs)' -c . | docker import -c 'CMD [\"sh\"]' - busybox:latest", timeout: 120)
        guard r.status == 0 else { throw SpawnError("importing busybox failed: \(r)\ndaemon log:\n\(log())") }
        try? FileManager.default.removeItem(atPath: rootfs)
    }

    // MARK: Teardown

    /// Removes every container (while the daemon still runs), stops the daemon with SIGTERM,
    /// kills leftover shims, unmounts what is left under the temporary directory, removes the
    /// containers' cgroups and the directory. Keeps a copy of the daemon's log in /tmp/berth-e2e-logs/.
    func tearDown() {
        var ids = lock.withLock { seenIDs }
        if isRunning && ping() {
            let listed = runCommand(["docker", "ps", "-aq", "--no-trunc"], environment: environment, timeout: 30)
            ids.formUnion(HostCleanup.idTokens(in: listed.stdout))
            let since = String(format: "%.0f", startedAt.timeIntervalSince1970 - 1)
            let until = unixTimestamp(Date())   // in the past by the time it is read: no waiting
            let events = runCommand(["docker", "events", "--since", since, "--until", until, "--filter", "type=container",
                                     "--format", "{{.Actor.ID}}"], environment: environment, timeout: 15)
            ids.formUnion(HostCleanup.idTokens(in: events.stdout))
            let present = HostCleanup.idTokens(in: listed.stdout)
            if !present.isEmpty {
                let rm = runCommand(["docker", "rm", "-f"] + present.sorted(), environment: environment, timeout: 60)
                if rm.status != 0 { FileHandle.standardError.write(Data("berth-e2e: teardown: \(rm)\n".utf8)) }
            }
            let networks = runCommand(["docker", "network", "ls", "-q", "--filter", "type=custom"], environment: environment, timeout: 30)
            let ids = networks.stdout.split(separator: "\n").map(String.init)
            if !ids.isEmpty { _ = runCommand(["docker", "network", "rm"] + ids, environment: environment, timeout: 60) }
        }
        terminate()
        HostNetwork.cleanUp(bridges: [bridge])
        ids.formUnion(HostCleanup.containerIDs(under: root))
        ids.formUnion(HostCleanup.containerIDs(under: execRoot))
        let shims = HostCleanup.killBerthProcesses(under: dir)
        let cgroups = HostCleanup.removeCgroups(ids: ids)
        HostCleanup.removeEmptyParentCgroups()
        let mounts = HostCleanup.unmountAll(under: dir)
        var notes: [String] = []
        if !shims.isEmpty { notes.append("killed leftover shim/runtime processes \(shims)") }
        if !cgroups.isEmpty { notes.append("removed leftover cgroups \(cgroups)") }
        if !mounts.isEmpty { notes.append("unmounted leftovers \(mounts)") }
        if !notes.isEmpty {
            FileHandle.standardError.write(Data("berth-e2e [\(label)]: teardown: \(notes.joined(separator: "; "))\n".utf8))
        }
        let logs = "/tmp/berth-e2e-logs"
        try? FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let safeLabel = label.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        try? FileManager.default.removeItem(atPath: "\(logs)/\(String(safeLabel)).log")
        try? FileManager.default.copyItem(atPath: logPath, toPath: "\(logs)/\(String(safeLabel)).log")
        // Never delete through a mount that is still there.
        if HostCleanup.mounts(under: dir).isEmpty {
            try? FileManager.default.removeItem(atPath: dir)
        } else {
            FileHandle.standardError.write(Data("berth-e2e [\(label)]: \(dir) still has mounts; not removed\n".utf8))
        }
    }
}

/// Runs a suite with its own berthd (started before the first test, torn down after the last):
/// `Daemon.current` inside.
struct BerthDaemonTrait: SuiteTrait, TestScoping {
    let label: String
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        guard daemonUnavailableReason == nil else {
            try await function()
            return
        }
        let daemon = try Daemon.start(label: label)
        defer { daemon.tearDown() }
        try await Daemon.$current.withValue(daemon) {
            try await function()
        }
    }
}

extension Trait where Self == BerthDaemonTrait {
    /// One berthd for the whole suite (and the suites nested in it, unless they bring their own).
    static func berthDaemon(_ label: String) -> Self { BerthDaemonTrait(label: label) }
}

/// The suite's daemon, or a failed requirement when there is none.
func currentDaemon(sourceLocation: SourceLocation = #_sourceLocation) throws -> Daemon {
    try #require(Daemon.current, "no berthd: the suite needs the .berthDaemon trait", sourceLocation: sourceLocation)
}
