import Glibc

// berth-shim: see docs/shim.md. Fd 3 is the ready pipe: one line, `ok <pid>` or `error <message>`.

ShimTrace.mark("main")
_ = signal(SIGPIPE, SIG_IGN)  // a caller that stopped reading the ready pipe must not kill us
let readyFD: Int32 = fcntl(3, F_GETFD) >= 0 ? 3 : -1
if readyFD >= 0 { Sys.setCloseOnExec(readyFD) }
/// Without a ready pipe (run by hand) errors go to the original stderr, kept before it becomes /dev/null.
let errorFD: Int32 = readyFD >= 0 ? -1 : fcntl(2, F_DUPFD_CLOEXEC, 3)

/// Writes the one ready line (newlines in a message become spaces) and closes the pipe.
func ready(_ word: String, _ text: String) {
    let line = word + " " + String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 }) + "\n"
    if readyFD >= 0 {
        Sys.writeAll(readyFD, Array(line.utf8))
        close(readyFD)
    } else if word == "error" && errorFD >= 0 {
        Sys.writeAll(errorFD, Array(("berth-shim: " + text + "\n").utf8))
    }
}

let arguments: Arguments
do {
    var cwd = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let here = getcwd(&cwd, cwd.count) != nil ? cwd.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "/"
    arguments = try Arguments.parse(Array(CommandLine.arguments.dropFirst())).resolved(against: here)
} catch {
    ready("error", error.description)
    if readyFD >= 0 { Sys.writeAll(2, Array("berth-shim: \(error)\n".utf8)) }
    exit(1)
}

do {
    let shim = try Shim(arguments, keep: [readyFD, errorFD])
    let pid = try shim.prepare()
    ShimTrace.mark("prepared")
    ready("ok", String(pid))
    if errorFD >= 0 { close(errorFD) }
    shim.run()
} catch {
    ready("error", error.description)
    exit(1)
}
