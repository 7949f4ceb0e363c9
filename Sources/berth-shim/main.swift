import Glibc

// berth-shim: see docs/shim.md. Fd 3 is the ready pipe: one line, `ok <pid>` or `error <message>`;
// with --wait-go, fd 4 is the go pipe.

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

/// With --wait-go, fd 4: one byte means the bundle is ready; end of file, that it never will be.
let goFD: Int32 = arguments.waitGo && fcntl(4, F_GETFD) >= 0 ? 4 : -1
if goFD >= 0 { Sys.setCloseOnExec(goFD) }

do {
    let shim = try Shim(arguments, keep: [readyFD, errorFD, goFD])
    var early: Shim.PendingLaunch?
    if goFD >= 0 {
        // berth-runtime is spawned before the go too, and waits on a pipe of its own: its exec
        // and start-up overlap berthd's work as well. The byte is passed on, or the end of file.
        var gate: [Int32] = [-1, -1]
        if shim.runtimeWaitsForGo && !shim.isExec && pipe(&gate) == 0 {
            Sys.setCloseOnExec(gate[0]); Sys.setCloseOnExec(gate[1])
            defer { close(gate[0]) }
            early = try shim.beginCreate(gate: gate[0])
        }
        ShimTrace.mark("waiting for go")
        let go = Sys.readByte(goFD)
        close(goFD)
        if go != nil, gate[1] >= 0 { Sys.writeAll(gate[1], [1]) }
        if gate[1] >= 0 { close(gate[1]) }
        if go == nil {
            if let early { _ = try? shim.prepare(early) }  // the runtime saw EOF and gave up
            Shim.removeFiles(dir: arguments.dir)
            shim.log?.removeIfUnused()
            ready("error", "abandoned before the container was created")
            exit(0)
        }
    }
    let pid = try shim.prepare(early)
    ShimTrace.mark("prepared")
    ready("ok", String(pid))
    if errorFD >= 0 { close(errorFD) }
    shim.run()
} catch {
    ready("error", error.description)
    exit(1)
}
