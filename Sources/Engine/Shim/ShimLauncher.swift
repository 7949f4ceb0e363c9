import Glibc

/// Starts a berth-shim for a container or an exec and waits for its ready line.
struct ShimLauncher {
    /// What a shim is asked to run.
    struct Request: Sendable {
        var id: String
        var containerID: String
        var bundle: String
        var directory: String
        var log: LogOptions?
        var tty: Bool
        var stdin: Bool
        /// The process JSON file for an exec; nil for the container's own process.
        var execProcess: String?
    }
    /// json-file log options.
    struct LogOptions: Sendable {
        var path: String
        var maxSize: Int64
        var maxFiles: Int
    }

    let configuration: EngineConfiguration

    /// Spawns the shim in its own session and returns its pid and the process pid it reports
    /// (0 for an exec not yet started). Blocking: call from `Blocking`.
    func launch(_ request: Request) throws(EngineError) -> (shim: pid_t, process: Int32) {
        try spawn(request, waitGo: false).ready()
    }

    /// Spawns the shim; with `waitGo` it sets itself up and then waits for `go()` before it
    /// has the runtime create the container, so its start overlaps the bundle's preparation.
    /// Blocking: call from `Blocking`.
    func spawn(_ request: Request, waitGo: Bool) throws(EngineError) -> SpawnedShim {
        var argv = [configuration.shimPath, "--id", request.containerID, "--bundle", request.bundle,
                    "--runtime", configuration.runtimePath, "--runtime-root", configuration.runtimeRoot,
                    "--dir", request.directory]
        if let log = request.log {
            argv += ["--log", log.path]
            if log.maxSize > 0 { argv += ["--log-max-size", String(log.maxSize), "--log-max-files", String(log.maxFiles)] }
        }
        if request.tty { argv.append("--tty") }
        if request.stdin { argv.append("--stdin") }
        if let exec = request.execProcess { argv += ["--exec", exec] }
        if waitGo { argv.append("--wait-go") }
        var readyPipe: [Int32] = [0, 0]
        var goPipe: [Int32] = [-1, -1]
        guard ChildProcess.makePipe(&readyPipe) else { throw EngineError.system("pipe: \(String(cString: strerror(errno)))") }
        if waitGo && !ChildProcess.makePipe(&goPipe) {
            let error = EngineError.system("pipe: \(String(cString: strerror(errno)))")
            close(readyPipe[0]); close(readyPipe[1])
            throw error
        }
        let pid: pid_t
        do { pid = try ChildProcess.spawn(argv, extra: waitGo ? [readyPipe[1], goPipe[0]] : [readyPipe[1]], newSession: true) } catch {
            for fd in readyPipe + goPipe where fd >= 0 { close(fd) }
            throw error
        }
        close(readyPipe[1])
        if goPipe[0] >= 0 { close(goPipe[0]) }
        return SpawnedShim(pid: pid, readyFD: readyPipe[0], goFD: goPipe[1])
    }
}

/// A shim that was spawned and has not yet reported ready: `go()` (when it waits for that)
/// and `ready()`, or `abandon()`. Owns the two pipe ends until then.
final class SpawnedShim: Sendable {
    let pid: pid_t
    private let readyFD: Int32
    /// The go pipe's write end, or -1 when the shim does not wait.
    private let goFD: Int32

    init(pid: pid_t, readyFD: Int32, goFD: Int32) {
        self.pid = pid; self.readyFD = readyFD; self.goFD = goFD
    }

    /// Lets a waiting shim create the container, then waits for its ready line: the shim's pid
    /// and the process's. On an error the shim has exited and been reaped.
    func ready() throws(EngineError) -> (shim: pid_t, process: Int32) {
        if goFD >= 0 {
            var byte: UInt8 = 1
            _ = write(goFD, &byte, 1)
            close(goFD)
        }
        let line = ShimSocket.readLine(readyFD)
        close(readyFD)
        let reply = ShimReply(line)
        guard reply.ok else {
            ChildProcess.waitFor(pid)
            throw EngineError.system(line == nil ? "shim exited before it was ready" : reply.text)
        }
        return (pid, Int32(reply.text) ?? 0)
    }

    /// The bundle will never be ready: the shim sees end of file, leaves without creating
    /// anything, and is reaped here.
    func abandon() {
        if goFD >= 0 { close(goFD) }
        close(readyFD)
        ChildProcess.waitFor(pid)
    }
}
