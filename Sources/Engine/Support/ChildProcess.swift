import Glibc

/// glibc ≥ 2.34's posix_spawn_file_actions_addclosefrom_np (the Glibc module does not export it).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// Starting helper programs (the shim, the runtime) with posix_spawn: explicit argv, a
/// controlled set of inherited descriptors, optionally a new session.
enum ChildProcess {
    /// The outcome of a program run to completion.
    struct Result: Sendable {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    /// Spawns `argv` with stdin from /dev/null, stdout+stderr into `outputFD` (or /dev/null),
    /// `extra` descriptors dup'ed to 3, 4, …, and a new session when `newSession`.
    static func spawn(_ argv: [String], outputFD: Int32? = nil, extra: [Int32] = [], newSession: Bool = false) throws(EngineError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let outputFD {
            posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
            posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        for (index, fd) in extra.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + index)) }
        // Nothing else of the daemon's (sockets, epoll, databases) reaches the child.
        _ = spawnCloseFrom(&actions, Int32(3 + extra.count))
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= 0x80 } // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw EngineError.system("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Runs `argv` to completion, collecting its combined output (blocking: call from `Blocking`).
    static func run(_ argv: [String]) throws(EngineError) -> Result {
        var fds: [Int32] = [0, 0]
        guard ChildProcess.makePipe(&fds) else { throw EngineError.system("pipe: \(String(cString: strerror(errno)))") }
        let pid: pid_t
        do { pid = try spawn(argv, outputFD: fds[1]) } catch { close(fds[0]); close(fds[1]); throw error }
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(fds[0])
        let status = waitFor(pid)
        return Result(status: status, output: String(decoding: output, as: UTF8.self))
    }

    /// A close-on-exec pipe (Glibc's module has no pipe2).
    static func makePipe(_ fds: inout [Int32], nonBlocking: Bool = false) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        return true
    }

    /// waitpid until `pid` ends; its exit status, or 128+signal.
    @discardableResult
    static func waitFor(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}
