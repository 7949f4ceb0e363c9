import Glibc

/// The control-socket commands: start, attach, resize, kill, wait, status.
extension Shim {
    func handle(_ client: Client, _ command: Command) {
        // Commands are rare and map code the output loop never needs (the runtime invocation
        // above all): drop it again before the next wait.
        trimPending = true
        switch command {
        case .start:
            server.reply(client, start())
        case .attach(let wantsStdin):
            guard phase != .exited && phase != .failed else {
                server.reply(client, "ok\n")  // nothing more will be written
                return
            }
            client.mode = .attach
            client.sendsStdin = wantsStdin && args.stdin
            server.send(client, "ok\n")
        case .resize(let rows, let cols):
            server.reply(client, resize(rows: rows, cols: cols))
        case .kill(let signal):
            server.reply(client, kill(signal))
        case .wait:
            switch phase {
            case .exited: server.reply(client, exitLine)
            case .failed: server.reply(client, "error \(failure)\n")
            default: client.mode = .waiting
            }
        case .status:
            server.reply(client, statusLine)
        case .invalid(let text):
            server.reply(client, "error \(text)\n")
        }
    }

    /// `exit <code> <nanos>`
    var exitLine: String { "exit \(exitCode) \(exitNanos)\n" }

    var statusLine: String {
        switch phase {
        case .notStarted: return "created 0\n"
        case .created: return "created \(pid)\n"
        case .running, .draining: return "running \(pid)\n"
        case .exited: return "exited \(exitCode) \(exitNanos)\n"
        case .failed: return "error \(failure)\n"
        }
    }

    /// Container mode: `berth-runtime start` (or its socket directly, see DirectStart); exec mode: `berth-runtime exec --detach`.
    private func start() -> String {
        switch phase {
        case .created:
            do {
                try runStart()
                phase = .running
                return "ok \(pid)\n"
            } catch {
                return "error \(error)\n"
            }
        case .notStarted:
            do {
                pid = try launch(RuntimeInvocation.exec(args, process: args.execProcess ?? "",
                                                        consoleSocket: args.tty ? path(Self.consoleSocket) : nil))
                phase = .running
                return "ok \(pid)\n"
            } catch {
                // Nothing will run: tell everyone, then leave (no exit record; berthd has the reason).
                failure = error.description
                phase = .failed
                stdin.shut()
                server.finishAll(waitReply: "error \(failure)\n")
                deadline = Sys.monotonicMillis() + Self.flushMillis
                return "error \(failure)\n"
            }
        case .running, .draining:
            return "error cannot start: the process is already running\n"
        case .exited:
            return "error cannot start: the process has exited\n"
        case .failed:
            return "error cannot start: \(failure)\n"
        }
    }

    private func runStart() throws(ShimFailure) {
        if let socket = DirectStart.socketPath(args) {
            try DirectStart.start(path: socket, id: args.id)
            return
        }
        let messages: (read: Int32, write: Int32)
        do { messages = try Sys.pipe() } catch { throw ShimFailure(error) }
        defer { close(messages.read) }
        Sys.setNonBlocking(messages.read)
        let invocation = RuntimeInvocation(argv: RuntimeInvocation.start(args), stdin: devNull, stdout: messages.write, stderr: messages.write)
        let outcome: RuntimeInvocation.Outcome
        do {
            defer { close(messages.write) }
            outcome = try invocation.run(collect: [messages.read], wakeFD: SignalPipe.readFD)
        } catch { throw ShimFailure(error) }
        guard outcome.status == 0 else {
            throw ShimFailure(RuntimeInvocation.failureMessage(stderr: outcome.output[0], stdout: [],
                                                                logPath: path("runtime.log"), status: outcome.status))
        }
    }

    private func resize(rows: UInt16, cols: UInt16) -> String {
        guard args.tty else { return "error resize: the process has no terminal\n" }
        guard master >= 0 else { return "error resize: the process has \(phase == .notStarted ? "not started" : "exited")\n" }
        var size = winsize(ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0)
        if ioctl(master, UInt(TIOCSWINSZ), &size) != 0 { return "error \(SystemError("ioctl(TIOCSWINSZ) on the pty master"))\n" }
        return "ok\n"
    }

    private func kill(_ signal: Int32) -> String {
        switch phase {
        case .created, .running:
            if Glibc.kill(pid, signal) != 0 { return "error \(SystemError("kill(\(pid), \(signal))"))\n" }
            return "ok\n"
        case .notStarted: return "error kill: the process has not started\n"
        case .draining, .exited: return "error kill: the process has exited\n"
        case .failed: return "error kill: \(failure)\n"
        }
    }

    /// A frame from an attach client that sends stdin.
    func stdinEvent(_ client: Client, _ event: FrameDecoder.Event) {
        switch event {
        case .stdin(let bytes):
            stdin.write(bytes)
        case .closeStdin:
            if args.tty {
                client.sendsStdin = false  // a pty has no end-of-file to send; stop taking this client's input
            } else {
                stdin.requestClose()
            }
        }
    }
}
