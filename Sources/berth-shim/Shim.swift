import Glibc

/// A startup or start failure, as one line of text for the ready pipe or the `start` reply.
struct ShimFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
    init(_ error: SystemError) { description = error.description }
}

/// The parent of one container process (or one exec process): holds its stdio or pty,
/// logs its output, reaps it, records how it ended, and answers berthd on the control
/// socket — whether berthd is there or not.
final class Shim {
    static let controlSocket = "shim.sock"
    static let consoleSocket = "console.sock"
    static let pidFile = "shim.pid"
    static let exitFile = "exit"
    static let processPidFile = "init.pid"
    /// How long output is still read after the process exited (other processes may hold the pipes).
    static let drainMillis: Int64 = 200
    /// How long attach and wait clients get to take their last bytes.
    static let flushMillis: Int64 = 5000
    /// After this long without events (following some work), code pages are dropped again.
    static let idleTrimMillis: Int32 = 10_000

    /// Where the process is in its life.
    enum Phase {
        /// Exec mode before `start`.
        case notStarted
        /// Container mode: created, waiting for `start`.
        case created
        case running
        /// Reaped; its output is still being read.
        case draining
        /// The exit record is written; the last bytes are going out.
        case exited
        /// Exec mode: `start` failed; nothing will run.
        case failed
    }

    let args: Arguments
    let dirFD: Int32
    let devNull: Int32
    let server: ControlServer
    /// Only for a container (exec output is not logged, as with docker).
    let log: JSONLog?
    lazy var pump = OutputPump { [unowned self] stream, bytes in self.output(stream, bytes) }
    var stdin = StdinWriter()
    var phase: Phase
    var pid: Int32 = 0
    var exitCode: Int32 = 0
    var exitNanos: Int64 = 0
    /// Why `start` failed (exec mode).
    var failure = ""
    var master: Int32 = -1
    /// Monotonic ms: the end of draining, or of the last flush.
    var deadline: Int64 = 0
    /// Drop the resident code pages before the next wait (see ResidentText).
    var trimPending = true

    var isExec: Bool { args.execProcess != nil }

    func path(_ name: String) -> String { args.dir + "/" + name }

    /// Detaches from the caller and sets up the control socket; `keep` are the descriptors
    /// main still needs (the ready pipe).
    init(_ args: Arguments, keep: Set<Int32>) throws(ShimFailure) {
        self.args = args
        phase = args.execProcess != nil ? .notStarted : .created
        guard chdir("/") == 0 else { throw ShimFailure(SystemError("chdir", "/")) }
        devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw ShimFailure(SystemError("open", "/dev/null")) }
        for fd: Int32 in 0...2 { dup2(devNull, fd) }
        Sys.closeDescriptors(except: keep.union([devNull]))
        do throws(SystemError) {
            try Sys.becomeChildSubreaper()
            try SignalPipe.install()
            dirFD = open(args.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirFD < 0 { throw SystemError("open", args.dir) }
            // An exit record left from an earlier run would describe the wrong process.
            unlinkat(dirFD, Self.exitFile, 0)
            try Sys.writeAtomically(dirFD: dirFD, dirPath: args.dir, name: Self.pidFile, Array("\(getpid())\n".utf8))
            let listener = try UnixSocket.listen(path: args.dir + "/" + Self.controlSocket, dirFD: dirFD, name: Self.controlSocket)
            server = ControlServer(listener: listener)
            if args.execProcess == nil, let logPath = args.logPath {
                log = try JSONLog(path: logPath, maxSize: args.logMaxSize, maxFiles: args.logMaxFiles)
            } else {
                log = nil
            }
        } catch {
            Self.removeFiles(dir: args.dir)
            throw ShimFailure(error)
        }
        server.onCommand = { [unowned self] client, command in self.handle(client, command) }
        server.onStdin = { [unowned self] client, event in self.stdinEvent(client, event) }
    }

    /// A runtime invocation spawned and not yet waited for, with the stdio it was given.
    struct PendingLaunch {
        var io: ProcessStdio
        var invocation: RuntimeInvocation
        var pid: pid_t
    }

    /// Whether `create` can be spawned before the bundle is ready: berth-runtime waits on a go
    /// pipe (`BERTH_RUNTIME_GO_FD`); another runtime would read the bundle at once.
    var runtimeWaitsForGo: Bool {
        args.runtime.split(separator: "/").last == "berth-runtime"
    }

    /// Container mode, with --wait-go: spawns the runtime's `create` now; it waits for the
    /// byte written to `gate` (or its end of file) before it reads the bundle.
    func beginCreate(gate: Int32) throws(ShimFailure) -> PendingLaunch {
        let console = args.tty ? path(Self.consoleSocket) : nil
        do {
            return try startLaunch(RuntimeInvocation.create(args, consoleSocket: console), goFD: gate)
        } catch {
            log?.removeIfUnused()
            Self.removeFiles(dir: args.dir)
            throw error
        }
    }

    /// Container mode: creates the container (not started) and returns its pid — finishing
    /// `pending` when `beginCreate` spawned the runtime already.
    /// Exec mode: nothing runs yet; returns 0.
    func prepare(_ pending: PendingLaunch? = nil) throws(ShimFailure) -> Int32 {
        guard !isExec else { return 0 }
        let console = args.tty ? path(Self.consoleSocket) : nil
        do throws(ShimFailure) {
            let started: PendingLaunch
            if let pending { started = pending } else { started = try startLaunch(RuntimeInvocation.create(args, consoleSocket: console)) }
            pid = try finishLaunch(started)
        } catch {
            log?.removeIfUnused()
            Self.removeFiles(dir: args.dir)
            throw error
        }
        return pid
    }

    /// Runs `create` or `exec --detach` with the process's stdio; on success the output pump
    /// and stdin are wired up and the process's pid is returned.
    func launch(_ argv: [String]) throws(ShimFailure) -> Int32 {
        try finishLaunch(startLaunch(argv))
    }

    /// Makes the process's stdio and spawns the runtime with it.
    func startLaunch(_ argv: [String], goFD: Int32 = -1) throws(ShimFailure) -> PendingLaunch {
        let io: ProcessStdio
        do {
            io = try ProcessStdio.make(tty: args.tty, stdin: args.stdin, devNull: devNull,
                                       console: (path(Self.consoleSocket), dirFD))
        } catch { throw ShimFailure(error) }
        var invocation = RuntimeInvocation(argv: argv, stdin: io.childStdin, stdout: io.childStdout, stderr: io.childStderr)
        invocation.goFD = goFD
        ShimTrace.mark("runtime spawn")
        do {
            return PendingLaunch(io: io, invocation: invocation, pid: try invocation.spawn())
        } catch {
            var failed = io
            failed.closeAll()
            if args.tty { unlinkat(dirFD, Self.consoleSocket, 0) }
            throw ShimFailure(error)
        }
    }

    /// Waits for the runtime of `pending`; on success wires up the output pump and stdin and
    /// returns the process's pid.
    func finishLaunch(_ pending: PendingLaunch) throws(ShimFailure) -> Int32 {
        var io = pending.io
        defer { if args.tty { unlinkat(dirFD, Self.consoleSocket, 0) } }
        let collected = io.collected
        let outcome: RuntimeInvocation.Outcome
        do {
            outcome = try pending.invocation.wait(for: pending.pid, collect: collected, wakeFD: SignalPipe.readFD)
            ShimTrace.mark("runtime done")
        } catch {
            io.closeAll()
            throw ShimFailure(error)
        }
        io.closeChildEnds()
        let outputs = outcome.output
        guard outcome.status == 0 else {
            io.closeAll()
            throw ShimFailure(RuntimeInvocation.failureMessage(
                stderr: outputs.count > 1 ? outputs[1] : [], stdout: outputs.first ?? [],
                logPath: path("runtime.log"), status: outcome.status))
        }
        let newPid: Int32
        do {
            newPid = try readPid()
        } catch {
            io.closeAll()
            throw error
        }
        if args.tty {
            let conn = UnixSocket.accept(io.consoleListener)
            close(io.consoleListener)
            io.consoleListener = -1
            unlinkat(dirFD, Self.consoleSocket, 0)
            guard let conn else {
                io.closeAll()
                Glibc.kill(newPid, SIGKILL)  // useless without its terminal
                throw ShimFailure("the runtime did not connect to \(path(Self.consoleSocket)) to send the pty master")
            }
            defer { close(conn) }
            do {
                master = try UnixSocket.receiveDescriptor(conn, path: path(Self.consoleSocket), timeoutMillis: 5000)
            } catch {
                io.closeAll()
                Glibc.kill(newPid, SIGKILL)
                throw ShimFailure(error)
            }
            io.closeAll()  // the runtime's message pipe
            pump.add(fd: master, stream: Frame.stdout, closeAtEnd: false)
            if args.stdin { stdin.attach(fd: master, ownsFD: false) }
        } else {
            pump.add(fd: io.stdoutRead, stream: Frame.stdout, closeAtEnd: true)
            pump.add(fd: io.stderrRead, stream: Frame.stderr, closeAtEnd: true)
            if io.stdinWrite >= 0 { stdin.attach(fd: io.stdinWrite, ownsFD: true) }
            // Whatever arrived while the runtime ran (hooks, a fast exec) is the process's output.
            for (k, stream) in [Frame.stdout, Frame.stderr].enumerated() where k < outputs.count && !outputs[k].isEmpty {
                outputs[k].withUnsafeBytes { output(stream, $0) }
            }
        }
        return newPid
    }

    /// The pid the runtime wrote to `<dir>/init.pid`.
    private func readPid() throws(ShimFailure) -> Int32 {
        let file = path(Self.processPidFile)
        let bytes: [UInt8]
        do { bytes = try Sys.readFile(file, limit: 64) } catch { throw ShimFailure(error) }
        let text = RuntimeInvocation.oneLine(bytes)
        guard let value = Int32(text), value > 0 else { throw ShimFailure("\(file): not a pid: \"\(text)\"") }
        return value
    }

    /// Output of the process: to the log and to every attach client.
    func output(_ stream: UInt8, _ bytes: UnsafeRawBufferPointer) {
        log?.write(stream: stream, bytes)
        server.broadcast(stream: stream, bytes)
    }

    /// Removes what the shim created in its directory (not the directory, not runtime.log).
    static func removeFiles(dir: String) {
        for name in [controlSocket, pidFile, consoleSocket] { unlink(dir + "/" + name) }
    }
}
