import Glibc

/// One run of berth-runtime (`create`, `start` or `exec --detach`): its argv, the stdio it
/// gets (which the container process inherits for create and exec), and what it said.
struct RuntimeInvocation {
    var argv: [String]
    var stdin: Int32
    var stdout: Int32
    var stderr: Int32
    /// berth-runtime only: the read end of a go pipe, handed on as fd 3 with
    /// `BERTH_RUNTIME_GO_FD=3`; `create` waits on it before it reads the bundle.
    var goFD: Int32 = -1

    /// How the runtime ended and what it wrote to each collected descriptor.
    struct Outcome {
        var status: Int32
        var output: [[UInt8]]
    }

    /// The global flags every invocation starts with.
    private static func globals(_ a: Arguments) -> [String] {
        [a.runtime, "--root", a.runtimeRoot, "--log", a.dir + "/runtime.log"]
    }

    /// `create --bundle B --pid-file <dir>/init.pid [--console-socket S] ID`
    static func create(_ a: Arguments, consoleSocket: String?) -> [String] {
        var argv = globals(a) + ["create", "--bundle", a.bundle, "--pid-file", a.dir + "/init.pid"]
        if let consoleSocket { argv += ["--console-socket", consoleSocket] }
        return argv + [a.id]
    }

    /// `start ID`
    static func start(_ a: Arguments) -> [String] {
        globals(a) + ["start", a.id]
    }

    /// `exec --detach --process FILE --pid-file <dir>/init.pid [--console-socket S] ID`
    static func exec(_ a: Arguments, process: String, consoleSocket: String?) -> [String] {
        var argv = globals(a) + ["exec", "--detach", "--process", process, "--pid-file", a.dir + "/init.pid"]
        if let consoleSocket { argv += ["--console-socket", consoleSocket] }
        return argv + [a.id]
    }

    /// Spawns the runtime and waits for it, reading the non-blocking descriptors in `collect`
    /// meanwhile (so a chatty runtime or hook cannot fill a pipe and stall). `wakeFD` is the
    /// SIGCHLD pipe: readable when a child exits.
    func run(collect: [Int32], wakeFD: Int32) throws(SystemError) -> Outcome {
        try wait(for: try spawn(), collect: collect, wakeFD: wakeFD)
    }

    /// Waits for the runtime spawned as `pid`, collecting as `run` does.
    func wait(for pid: pid_t, collect: [Int32], wakeFD: Int32) throws(SystemError) -> Outcome {
        var outputs = [[UInt8]](repeating: [], count: collect.count)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        func drain() {
            for (k, fd) in collect.enumerated() {
                while outputs[k].count < 1 << 20 {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n > 0 { outputs[k] += buffer[0..<n]; continue }
                    if n < 0 && errno == EINTR { continue }
                    break
                }
            }
        }
        var status: Int32 = 0
        var fds = collect.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw SystemError("waitpid for", argv[0]) }
            for k in fds.indices { fds[k].revents = 0 }
            _ = poll(&fds, nfds_t(fds.count), 100)
            drain()
            // A pipe at EOF stays readable: stop polling it (a negative fd is skipped).
            for k in fds.indices.dropLast() where fds[k].revents & Int16(POLLHUP) != 0 && fds[k].revents & Int16(POLLIN) == 0 {
                fds[k].fd = -1
            }
            if fds[fds.count - 1].revents & Int16(POLLIN) != 0 { SignalPipe.clear() }
        }
        drain()
        return Outcome(status: Sys.exitCode(waitStatus: status), output: outputs)
    }

    func spawn() throws(SystemError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var environment = environ
        var withGo: [UnsafeMutablePointer<CChar>?] = []
        if goFD >= 0 {
            posix_spawn_file_actions_adddup2(&actions, goFD, 3)
            var k = 0
            while let entry = environ[k] { withGo.append(entry); k += 1 }
            withGo.append(strdup("BERTH_RUNTIME_GO_FD=3"))
            withGo.append(nil)
        }
        defer { if goFD >= 0 { free(withGo[withGo.count - 2]) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The shim ignores SIGPIPE, SIGTERM, ... and blocks nothing; the runtime and the
        // container must start with default dispositions.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = withGo.withUnsafeMutableBufferPointer { buffer in
            if goFD >= 0 { environment = buffer.baseAddress! }
            return posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, environment)
        }
        if rc != 0 { throw SystemError("posix_spawn", argv[0], errno: rc) }
        return pid
    }

    /// The runtime's complaint as one line: what it wrote to stderr (then stdout), else
    /// the last line of its log, else its exit status.
    static func failureMessage(stderr: [UInt8], stdout: [UInt8], logPath: String, status: Int32) -> String {
        for bytes in [stderr, stdout] {
            let text = oneLine(bytes)
            if !text.isEmpty { return text }
        }
        if let log = try? Sys.readFile(logPath, limit: 1 << 20) {
            let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
            if let last = lines.last { return oneLine(Array(last.utf8)) }
        }
        return "runtime exited with status \(status)"
    }

    /// Non-empty lines, trimmed, joined with a space.
    static func oneLine(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        var parts: [Substring] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var s = line[...]
            while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
            while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
            if !s.isEmpty { parts.append(s) }
        }
        return parts.joined(separator: " ")
    }
}
