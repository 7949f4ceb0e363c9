import Foundation
import Testing

/// One `berthd` for the whole test process, on a temporary root, exec root and socket, with a
/// busybox image imported. Started on first use; stopped (containers removed, mounts and
/// cgroups cleaned) when the process exits. Needs root: the tests are skipped otherwise.
final class BerthdFixture: @unchecked Sendable {
    static let isRoot = getuid() == 0
    nonisolated(unsafe) static var instance: BerthdFixture?
    static let lock = NSLock()

    let directory: String
    let execRoot: String
    /// This daemon's default bridge (unique per fixture).
    let bridge = HostNetwork.uniqueBridgeName()
    let socket: String
    let binDirectory: String
    private(set) var pid: pid_t = 0

    /// The shared daemon (started on first use).
    static func shared() throws -> BerthdFixture {
        try lock.withLock {
            if let instance { return instance }
            let fixture = try BerthdFixture()
            instance = fixture
            atexit { BerthdFixture.instance?.tearDown() }
            return fixture
        }
    }

    private init() throws {
        directory = NSTemporaryDirectory() + "berth-e2e-\(getpid())"
        // The exec root holds unix sockets: keep its path short.
        execRoot = "/tmp/be2e-\(getpid())"
        socket = directory + "/berth.sock"
        binDirectory = try Self.locateBinaries()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start()
        let rootfs = directory + "/rootfs"
        let made = Shell.run(["/bin/sh", "-c", "scripts/make-busybox-rootfs \(rootfs) >/dev/null"], cwd: Self.repositoryRoot)
        guard made.status == 0 else { throw FixtureError("make-busybox-rootfs failed: \(made.stderr)") }
        let imported = Shell.run(["/bin/sh", "-c", "tar -C \(rootfs) -c . | docker import -c 'CMD [\"sh\"]' - busybox:latest"],
                                 env: environment, timeout: 60)
        guard imported.status == 0 else { throw FixtureError("docker import failed: \(imported.stderr)") }
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// berthd, berth-shim and berth-runtime beside the test runner (.build/<triple>/<config>/).
    static func locateBinaries() throws -> String {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().path)
        }
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent().path)
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        for dir in candidates where FileManager.default.isExecutableFile(atPath: dir + "/berthd")
            && FileManager.default.isExecutableFile(atPath: dir + "/berth-shim") {
            return dir
        }
        throw FixtureError("berthd not found beside the test runner (looked in \(candidates))")
    }

    /// DOCKER_HOST and BERTH_HOST pointing at this daemon.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["DOCKER_HOST"] = "unix://" + socket
        env["BERTH_HOST"] = "unix://" + socket
        return env
    }

    func start() throws {
        let log = directory + "/berthd.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory + "/berthd")
        process.arguments = ["--root", directory + "/root", "--exec-root", execRoot, "-H", "unix://" + socket, "--bridge", bridge]
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        for _ in 0..<100 {
            if Shell.run(["curl", "-sf", "--unix-socket", socket, "http://x/_ping"], timeout: 5).stdout == "OK" { return }
            usleep(50_000)
        }
        throw FixtureError("berthd did not answer /_ping: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// kill -9 (live-restore tests), then start again on the same root.
    func crashAndRestart() throws {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try start()
    }

    func docker(_ arguments: [String], stdin: String? = nil, timeout: Double = 30) -> Shell.Result {
        Shell.run(["docker"] + arguments, env: environment, stdin: stdin, timeout: timeout)
    }

    func berth(_ arguments: [String], stdin: String? = nil, timeout: Double = 30) -> Shell.Result {
        Shell.run([binDirectory + "/berth"] + arguments, env: environment, stdin: stdin, timeout: timeout)
    }

    func sh(_ script: String, timeout: Double = 30) -> Shell.Result {
        Shell.run(["/bin/sh", "-c", script], env: environment, timeout: timeout)
    }

    /// Removes every container, stops the daemon, and removes what is left on the host.
    func tearDown() {
        let ids = docker(["ps", "-aq"]).stdout.split(separator: "\n").map(String.init)
        if !ids.isEmpty { _ = docker(["rm", "-f"] + ids, timeout: 60) }
        let networks = docker(["network", "ls", "-q", "--filter", "type=custom"]).stdout.split(separator: "\n").map(String.init)
        if !networks.isEmpty { _ = docker(["network", "rm"] + networks, timeout: 60) }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        HostNetwork.cleanUp(bridges: [bridge])
        // Shims of containers that could not be removed: by the pid file in their directory.
        if let shims = try? FileManager.default.contentsOfDirectory(atPath: execRoot + "/shims") {
            for shim in shims {
                if let text = try? String(contentsOfFile: execRoot + "/shims/\(shim)/shim.pid", encoding: .utf8),
                   let shimPID = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(shimPID, SIGKILL) }
            }
        }
        Self.unmountEverything(under: directory)
        Self.unmountEverything(under: execRoot)
        HostCleanup.removeEmptyParentCgroups()
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: execRoot)
    }

    static func unmountEverything(under path: String) {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        let points = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4].hasPrefix(path) ? String(fields[4]) : nil
        }
        for point in points.sorted(by: { $0.count > $1.count }) { umount2(point, Int32(MNT_DETACH)) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// Runs a command to completion with a hard timeout (SIGKILL), capturing its output in files.
enum Shell {
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
        var out: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    static func run(_ argv: [String], env: [String: String]? = nil, stdin: String? = nil, cwd: String? = nil, timeout: Double = 30) -> Result {
        let scratch = NSTemporaryDirectory() + "berth-e2e-cmd-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for name in ["out", "err", "in"] { FileManager.default.createFile(atPath: scratch + "/" + name, contents: nil) }
        if let stdin { try? stdin.write(toFile: scratch + "/in", atomically: true, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", String(Int(timeout.rounded(.up)))] + argv
        if let env { process.environment = env }
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        process.standardOutput = FileHandle(forWritingAtPath: scratch + "/out")
        process.standardError = FileHandle(forWritingAtPath: scratch + "/err")
        process.standardInput = FileHandle(forReadingAtPath: scratch + "/in")
        do { try process.run() } catch { return Result(status: 127, stdout: "", stderr: "\(error)") }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? "")
    }
}
