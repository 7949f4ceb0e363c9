import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One test's world, all under one temporary directory: a bundle with a busybox root
/// filesystem, a runtime root, and a directory per shim. `cleanup()` deletes the
/// containers, kills and reaps the shims it spawned, and removes the directory.
final class ShimWorld {
    let base: String
    let bundle: String
    let runtimeRoot: String
    private var containers: [String] = []
    private var shims: [pid_t] = []

    /// A world whose container runs `args` (with a terminal when `terminal`).
    init(args: [String], terminal: Bool = false) throws {
        guard Binaries.available else { throw TestFailure("berth-shim or berth-runtime missing in \(Binaries.directory)") }
        var template = Array("/tmp/berth-shim-test-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw TestFailure("mkdtemp: errno \(errno)")
        }
        base = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        bundle = base + "/bundle"
        runtimeRoot = base + "/runtime"
        do {
            try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: runtimeRoot, withIntermediateDirectories: true)
            guard runQuietly([Binaries.repoRoot + "/scripts/make-busybox-rootfs", bundle + "/rootfs"]) == 0 else {
                throw TestFailure("scripts/make-busybox-rootfs failed (is busybox-static installed?)")
            }
            guard runQuietly([Binaries.runtime, "spec", "--bundle", bundle]) == 0 else { throw TestFailure("berth-runtime spec failed") }
            try editConfig { config in
                var process = config["process"] as? [String: Any] ?? [:]
                process["args"] = args
                process["terminal"] = terminal
                config["process"] = process
            }
        } catch {
            cleanup()
            throw error
        }
    }

    /// Rewrites the bundle's config.json.
    func editConfig(_ edit: (inout [String: Any]) -> Void) throws {
        let path = bundle + "/config.json"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard var config = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw TestFailure("config.json is not an object") }
        edit(&config)
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
    }

    /// Writes a process.json for exec mode: the container's process with `args` (and `terminal`).
    func writeExecProcess(_ args: [String], terminal: Bool = false) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle + "/config.json"))
        let config = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var process = config["process"] as? [String: Any] ?? [:]
        process["args"] = args
        process["terminal"] = terminal
        let path = base + "/exec-\(UInt32.random(in: 0...UInt32.max)).json"
        try JSONSerialization.data(withJSONObject: process).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A new empty directory for one shim (berthd creates it before spawning).
    func makeDir(_ name: String) throws -> String {
        let dir = base + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The shim's command line for container `id` with its files in `dir`.
    func shimArguments(id: String, dir: String, extra: [String] = []) -> [String] {
        [Binaries.shim, "--id", id, "--bundle", bundle, "--runtime", Binaries.runtime, "--runtime-root", runtimeRoot, "--dir", dir] + extra
    }

    /// Spawns a shim as berthd does (new session, ready pipe on fd 3) and reads its ready line.
    func spawnShim(id: String, dir: String, extra: [String] = []) throws -> SpawnedShim {
        containers.append(id)
        let ready = makePipe()
        let pid: pid_t
        do {
            pid = try spawnProcess(shimArguments(id: id, dir: dir, extra: extra), fd3: ready.write, newSession: true)
        } catch {
            close(ready.read)
            close(ready.write)
            throw error
        }
        shims.append(pid)
        close(ready.write)
        defer { close(ready.read) }
        let line = readLine(ready.read, timeout: 60) ?? "<no ready line>"
        return SpawnedShim(pid: pid, dir: dir, readyLine: line)
    }

    /// Spawns a shim through a short-lived `setsid --fork` that exits at once, as if
    /// berthd had spawned it and died: the shim is then nobody's child here.
    func spawnOrphanShim(id: String, dir: String, extra: [String] = []) throws -> (intermediate: Int32?, shim: SpawnedShim) {
        containers.append(id)
        let ready = makePipe()
        defer { close(ready.read) }
        let intermediate: pid_t
        do {
            intermediate = try spawnProcess(["/usr/bin/setsid", "--fork"] + shimArguments(id: id, dir: dir, extra: extra), fd3: ready.write)
        } catch {
            close(ready.write)
            throw error
        }
        close(ready.write)
        let status = waitExit(intermediate, timeout: 30)
        let line = readLine(ready.read, timeout: 60) ?? "<no ready line>"
        return (status, SpawnedShim(pid: 0, dir: dir, readyLine: line))
    }

    /// Deletes the containers, kills and reaps the shims, removes everything.
    func cleanup() {
        for id in containers {
            runQuietly([Binaries.runtime, "--root", runtimeRoot, "delete", "--force", id])
        }
        for pid in shims {
            if waitExit(pid, timeout: 2) == nil {
                kill(pid, SIGKILL)
                _ = waitExit(pid, timeout: 5)
            }
        }
        try? FileManager.default.removeItem(atPath: base)
    }
}

/// A running shim: its pid (0 when it is not our child), its directory and its ready line.
struct SpawnedShim {
    var pid: pid_t
    var dir: String
    var readyLine: String

    var socket: String { dir + "/shim.sock" }

    /// The pid from `ok <pid>`, or nil.
    var processPid: Int32? {
        let parts = readyLine.split(separator: " ")
        return parts.count == 2 && parts[0] == "ok" ? Int32(parts[1]) : nil
    }

    /// Sends one command on a new connection and returns the reply line.
    func command(_ line: String, timeout: TimeInterval = 30) throws -> String {
        let connection = try ControlConnection(socket: socket)
        connection.send(line + "\n")
        return connection.readLine(timeout: timeout) ?? "<no reply>"
    }

    /// Sends `wait` on a new connection; read the reply later (a `wait` sent after the
    /// process ended may find the shim gone).
    func waiter() throws -> ControlConnection {
        let connection = try ControlConnection(socket: socket)
        connection.send("wait\n")
        return connection
    }

    /// `attach <stdin>`: the connection, once the shim said ok.
    func attach(stdin: Bool = false) throws -> ControlConnection {
        let connection = try ControlConnection(socket: socket)
        connection.send("attach \(stdin ? 1 : 0)\n")
        let reply = connection.readLine()
        guard reply == "ok" else { throw TestFailure("attach: \(reply ?? "<no reply>")") }
        return connection
    }

    /// The shim's own pid, from `<dir>/shim.pid`.
    var shimPid: Int32? {
        (try? String(contentsOfFile: dir + "/shim.pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// After the process ended and the shim left (closing attach clients is its last act,
    /// so a `wait` may find no socket): the shim's exit status is 0 and the record's code.
    func finalExitCode(timeout: TimeInterval = 20) -> Int32? {
        if pid > 0 {
            guard waitExit(pid, timeout: timeout) == 0 else { return nil }
        } else {
            eventually(timeout: timeout) { exitRecord != nil }
        }
        return exitRecord?.code
    }

    /// The exit record `<code> <nanos>` from `<dir>/exit`.
    var exitRecord: (code: Int32, nanos: Int64)? {
        guard let text = try? String(contentsOfFile: dir + "/exit", encoding: .utf8), text.hasSuffix("\n") else { return nil }
        let parts = text.dropLast().split(separator: " ")
        guard parts.count == 2, let code = Int32(parts[0]), let nanos = Int64(parts[1]) else { return nil }
        return (code, nanos)
    }
}

/// Runs `body` in a fresh world and always cleans it up.
func withWorld(args: [String], terminal: Bool = false, _ body: (ShimWorld) throws -> Void) throws {
    let world = try ShimWorld(args: args, terminal: terminal)
    defer { world.cleanup() }
    try body(world)
}

/// The json-file log's entries (each line parsed), and the lines that did not parse.
func logEntries(_ path: String) -> (entries: [[String: Any]], bad: [String]) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ([], []) }
    var entries: [[String: Any]] = []
    var bad: [String] = []
    for line in text.split(separator: "\n") {
        if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
            entries.append(object)
        } else {
            bad.append(String(line))
        }
    }
    return (entries, bad)
}

/// Now as nanoseconds since the epoch.
func nowNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
