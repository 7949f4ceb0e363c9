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
        var fds: [Int32] = [0, 0]
        guard ChildProcess.makePipe(&fds) else { throw EngineError.system("pipe: \(String(cString: strerror(errno)))") }
        let pid: pid_t
        do { pid = try ChildProcess.spawn(argv, extra: [fds[1]], newSession: true) } catch {
            close(fds[0]); close(fds[1]); throw error
        }
        close(fds[1])
        let line = ShimSocket.readLine(fds[0])
        close(fds[0])
        let reply = ShimReply(line)
        guard reply.ok else {
            ChildProcess.waitFor(pid)
            throw EngineError.system(line == nil ? "shim exited before it was ready" : reply.text)
        }
        return (pid, Int32(reply.text) ?? 0)
    }
}

