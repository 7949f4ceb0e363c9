import Glibc

/// The stdio one runtime invocation (create, or exec --detach) hands on, and the ends the shim keeps.
///
/// Non-tty: stdin is a pipe with --stdin (else /dev/null), stdout and stderr are two pipes;
/// the process inherits the child ends from the runtime. Tty: the process gets a pty whose
/// master arrives on `console.sock`; the runtime's own stdout and stderr share one pipe, read
/// only for its error message.
struct ProcessStdio {
    var childStdin: Int32
    var childStdout: Int32
    var childStderr: Int32
    /// The shim's ends (-1 when absent).
    var stdinWrite: Int32 = -1
    var stdoutRead: Int32 = -1
    var stderrRead: Int32 = -1
    /// Listening for the pty master (tty only).
    var consoleListener: Int32 = -1
    private let devNull: Int32

    static func make(tty: Bool, stdin: Bool, devNull: Int32, console: (path: String, dirFD: Int32)) throws(SystemError) -> ProcessStdio {
        var io = ProcessStdio(childStdin: devNull, childStdout: devNull, childStderr: devNull, devNull: devNull)
        do throws(SystemError) {
            if tty {
                io.consoleListener = try UnixSocket.listen(path: console.path, dirFD: console.dirFD, name: Shim.consoleSocket)
                let messages = try Sys.pipe()
                io.stdoutRead = messages.read
                io.childStdout = messages.write
                io.childStderr = messages.write
            } else {
                if stdin {
                    let p = try Sys.pipe()
                    io.childStdin = p.read
                    io.stdinWrite = p.write
                }
                let out = try Sys.pipe()
                io.childStdout = out.write
                io.stdoutRead = out.read
                let err = try Sys.pipe()
                io.childStderr = err.write
                io.stderrRead = err.read
            }
        } catch {
            io.closeAll()
            throw error
        }
        if io.stdoutRead >= 0 { Sys.setNonBlocking(io.stdoutRead) }
        if io.stderrRead >= 0 { Sys.setNonBlocking(io.stderrRead) }
        return io
    }

    /// The read ends to collect while the runtime runs.
    var collected: [Int32] { [stdoutRead, stderrRead].filter { $0 >= 0 } }

    /// Closes the ends the runtime (and the process) took over.
    mutating func closeChildEnds() {
        for fd in Set([childStdin, childStdout, childStderr]) where fd != devNull { close(fd) }
        childStdin = devNull
        childStdout = devNull
        childStderr = devNull
    }

    /// Closes everything (a failed invocation).
    mutating func closeAll() {
        closeChildEnds()
        for fd in [stdinWrite, stdoutRead, stderrRead, consoleListener] where fd >= 0 { close(fd) }
        stdinWrite = -1
        stdoutRead = -1
        stderrRead = -1
        consoleListener = -1
    }
}
