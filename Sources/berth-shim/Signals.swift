import Glibc

/// SIGCHLD as a readable pipe (the self-pipe trick): the handler writes a byte, the poll
/// loop wakes and reaps. The shim ignores the signals that would end it with berthd.
enum SignalPipe {
    nonisolated(unsafe) private(set) static var readFD: Int32 = -1
    nonisolated(unsafe) private static var writeFD: Int32 = -1

    /// Ignores SIGPIPE, SIGHUP, SIGINT, SIGTERM and SIGQUIT, and routes SIGCHLD to the pipe.
    static func install() throws(SystemError) {
        for signal in [SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGQUIT] {
            _ = Glibc.signal(signal, SIG_IGN)
        }
        let (r, w) = try Sys.pipe()
        Sys.setNonBlocking(r)
        Sys.setNonBlocking(w)
        readFD = r
        writeFD = w
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(SignalPipe.writeFD, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP
        if sigaction(SIGCHLD, &action, nil) != 0 { throw SystemError("sigaction(SIGCHLD)") }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGCHLD)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Empties the pipe (the reaper runs on every wake-up anyway).
    static func clear() {
        var sink = [UInt8](repeating: 0, count: 64)
        while sink.withUnsafeMutableBytes({ read(readFD, $0.baseAddress, $0.count) }) > 0 {}
    }
}
