import Glibc

/// The single-threaded poll loop: SIGCHLD pipe, control socket, clients, output, stdin.
extension Shim {
    /// What one pollfd entry stands for.
    private enum Slot {
        case signal
        case listener
        case output(Int32)
        case stdin
        case client(Client)
    }

    /// Serves until the process has exited and everyone has their answer, then exits.
    func run() -> Never {
        var fds: [pollfd] = []
        var slots: [Slot] = []
        var busy = true  // anything happened since the code pages were last dropped
        while true {
            reap()
            advance()
            if trimPending {
                ResidentText.drop()
                trimPending = false
                busy = false
            }
            fds.removeAll(keepingCapacity: true)
            slots.removeAll(keepingCapacity: true)
            func watch(_ fd: Int32, _ events: Int16, _ slot: Slot) {
                fds.append(pollfd(fd: fd, events: events, revents: 0))
                slots.append(slot)
            }
            watch(SignalPipe.readFD, Int16(POLLIN), .signal)
            watch(server.listener, Int16(POLLIN), .listener)
            for source in pump.sources { watch(source.fd, Int16(POLLIN), .output(source.fd)) }
            if stdin.wantsWritable { watch(stdin.fd, Int16(POLLOUT), .stdin) }
            server.stdinPaused = stdin.isFull
            for client in server.clients where !client.closed {
                watch(client.fd, server.events(for: client), .client(client))
            }
            let n = poll(&fds, nfds_t(fds.count), timeout(busy: busy))
            if n < 0 {
                if errno != EINTR { usleep(10_000) }  // cannot happen with valid fds; never spin
                continue
            }
            if n == 0 {
                // A deadline passed (handled above), or the loop idled after some work.
                if busy && phase != .draining && phase != .exited && phase != .failed { trimPending = true }
                continue
            }
            busy = true
            for (k, slot) in slots.enumerated() where fds[k].revents != 0 {
                switch slot {
                case .signal: SignalPipe.clear()
                case .listener: server.acceptAll()
                case .output(let fd): pump.readReady(fd)
                case .stdin: stdin.flush()
                case .client(let client): if !client.closed { server.handle(client, revents: fds[k].revents) }
                }
            }
            server.sweep()
        }
    }

    /// Poll's timeout: while the process runs, the idle period before code pages are dropped
    /// (none once they are); after, the remaining drain or flush time.
    private func timeout(busy: Bool) -> Int32 {
        switch phase {
        case .draining, .exited, .failed:
            return Int32(clamping: max(0, deadline - Sys.monotonicMillis()))
        case .notStarted, .created, .running:
            return busy ? Self.idleTrimMillis : -1
        }
    }

    /// Reaps every child that ended (the process, and strays reparented to us as subreaper).
    private func reap() {
        while true {
            var status: Int32 = 0
            let child = waitpid(-1, &status, WNOHANG)
            if child > 0 {
                if child == pid && (phase == .created || phase == .running) {
                    exitCode = Sys.exitCode(waitStatus: status)
                    exitNanos = Sys.realtimeNanos()
                    phase = .draining
                    deadline = Sys.monotonicMillis() + Self.drainMillis
                    ShimTrace.mark("reaped")
                }
                continue
            }
            if child < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Moves on once output is drained (record the exit) and once replies are out (leave).
    private func advance() {
        let now = Sys.monotonicMillis()
        if phase == .draining && (pump.isDrained || now >= deadline) { recordExit() }
        switch phase {
        case .exited where !server.hasPendingOutput || now >= deadline:
            shutdown(status: 0)
        case .failed where !server.hasPendingOutput || now >= deadline:
            shutdown(status: 1)
        default:
            break
        }
    }

    /// The process is gone and its output read: flush the log, write `<dir>/exit`, answer waiters.
    private func recordExit() {
        pump.drainAndClose()
        log?.finish()
        stdin.shut()
        if master >= 0 {
            close(master)
            master = -1
        }
        // Best effort: if the record cannot be written, waiters still hear the status.
        try? Sys.writeAtomically(dirFD: dirFD, dirPath: args.dir, name: Self.exitFile, Array("\(exitCode) \(exitNanos)\n".utf8))
        phase = .exited
        ShimTrace.mark("exit recorded")
        server.finishAll(waitReply: exitLine)
        deadline = Sys.monotonicMillis() + Self.flushMillis
    }

    private func shutdown(status: Int32) -> Never {
        ShimTrace.mark("shutdown")
        server.closeAll()
        unlinkat(dirFD, Self.controlSocket, 0)
        unlinkat(dirFD, Self.pidFile, 0)
        exit(status)
    }
}
