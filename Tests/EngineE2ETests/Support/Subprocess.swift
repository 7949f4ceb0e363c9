// Child processes for the end-to-end tests: posix_spawn in a new process group, every
// output captured, and a deadline after which the whole group is killed (a hung client
// fails its test instead of hanging the run).
import Foundation
import Glibc

/// What one finished (or killed) command did.
struct CommandResult: Sendable, CustomStringConvertible {
    var argv: [String]
    /// The exit code, 128+signal if a signal ended it (as a shell reports it).
    var status: Int32
    var stdout: String
    var stderr: String
    /// The deadline passed and the process group was killed.
    var timedOut: Bool
    var seconds: Double

    var description: String {
        let cmd = argv.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
        return "`\(cmd)` → \(timedOut ? "TIMED OUT after \(String(format: "%.1f", seconds)) s" : "exit \(status)") "
            + "(\(String(format: "%.2f", seconds)) s)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)---"
    }

    /// stdout without the final newline(s).
    var out: String { stdout.trimmingCharacters(in: .newlines) }
    /// stdout's lines, without empty ones.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

struct SpawnError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where a child's stdout/stderr go when the caller does not capture them.
enum OutputTarget {
    case pipe
    case file(String)
    case devNull
}

/// A spawned child: its pid is also its process group id.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let argv: [String]
    private(set) var exitStatus: Int32?
    fileprivate var stdinFD: Int32 = -1
    fileprivate var stdoutFD: Int32 = -1
    fileprivate var stderrFD: Int32 = -1

    fileprivate init(pid: pid_t, argv: [String]) {
        self.pid = pid
        self.argv = argv
    }

    /// Spawns `argv` (looked up in PATH when it has no slash) with exactly `environment`.
    static func spawn(_ argv: [String], environment: [String: String], stdin: Data? = nil,
                      stdout: OutputTarget = .pipe, stderr: OutputTarget = .pipe,
                      newProcessGroup: Bool = true) throws -> ChildProcess {
        precondition(!argv.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }

        var parentEnds: [Int32] = []   // ours (closed on failure)
        var childEnds: [Int32] = []    // the child's (closed after the spawn)
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard systemPipe2(&fds, O_CLOEXEC) == 0 else { throw SpawnError("pipe2: \(String(cString: strerror(errno)))") }
            return (fds[0], fds[1])
        }
        var stdinFD: Int32 = -1, stdoutFD: Int32 = -1, stderrFD: Int32 = -1
        do {
            if stdin != nil {
                let p = try makePipe()
                stdinFD = p.write
                parentEnds.append(p.write)
                childEnds.append(p.read)
                posix_spawn_file_actions_adddup2(&actions, p.read, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            for (fd, target) in [(Int32(1), stdout), (Int32(2), stderr)] {
                switch target {
                case .pipe:
                    let p = try makePipe()
                    if fd == 1 { stdoutFD = p.read } else { stderrFD = p.read }
                    parentEnds.append(p.read)
                    childEnds.append(p.write)
                    posix_spawn_file_actions_adddup2(&actions, p.write, fd)
                case .file(let path):
                    posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                case .devNull:
                    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
                }
            }
        } catch {
            (parentEnds + childEnds).forEach { close($0) }
            throw error
        }

        // Default dispositions and an empty mask: the test runner may ignore SIGPIPE and others.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signo in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signo)
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &empty)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attr, 0)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        let cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cArgv, cEnv)
        childEnds.forEach { close($0) }
        guard rc == 0 else {
            parentEnds.forEach { close($0) }
            throw SpawnError("cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        let child = ChildProcess(pid: pid, argv: argv)
        child.stdinFD = stdinFD
        child.stdoutFD = stdoutFD
        child.stderrFD = stderrFD
        return child
    }

    /// Reaps the child if it has exited; true when it has.
    @discardableResult
    func poll() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        if rc == pid {
            exitStatus = Self.decode(status)
            return true
        }
        if rc < 0 && errno == ECHILD { exitStatus = -1; return true }
        return false
    }

    /// Waits up to `seconds` for the exit; true if the child exited.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !poll() {
            if Date() >= deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// Sends `signo` to the child (or to its whole process group).
    func signal(_ signo: Int32, group: Bool = false) {
        guard exitStatus == nil else { return }
        kill(group ? -pid : pid, signo)
    }

    /// SIGKILL to the group, then reap.
    func killAndReap() {
        if exitStatus == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = wait(seconds: 10)
        }
        closeFDs()
    }

    fileprivate func closeFDs() {
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        stdinFD = -1; stdoutFD = -1; stderrFD = -1
    }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Feeds `stdin`, collects stdout/stderr until both close and the child exits, or
    /// kills the process group at the deadline.
    func communicate(stdin: Data?, timeout: Double) -> (stdout: Data, stderr: Data, timedOut: Bool) {
        var out = Data(), err = Data()
        var input = stdin ?? Data()
        var inputOffset = 0
        if stdinFD >= 0 {
            _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK)
            if input.isEmpty { close(stdinFD); stdinFD = -1 }
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while stdoutFD >= 0 || stderrFD >= 0 || stdinFD >= 0 {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { timedOut = true; break }
            var fds: [pollfd] = []
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            let n = Glibc.poll(&fds, nfds_t(fds.count), Int32(min(remaining, 0.2) * 1000) + 1)
            if n < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let written = input.withUnsafeBytes { raw in
                        write(stdinFD, raw.baseAddress! + inputOffset, raw.count - inputOffset)
                    }
                    if written > 0 { inputOffset += written }
                    if written < 0 && errno != EAGAIN && errno != EINTR || inputOffset >= input.count {
                        close(stdinFD); stdinFD = -1
                        input = Data()
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == stdoutFD { out.append(contentsOf: buffer[0..<count]) } else { err.append(contentsOf: buffer[0..<count]) }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    if entry.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                }
            }
            // A child that exited while a grandchild holds the pipes open still ends here once the pipes close;
            // the deadline covers a grandchild that never closes them.
        }
        if !timedOut {
            while !poll() {
                if Date() >= deadline { timedOut = true; break }
                usleep(2_000)
            }
        }
        if timedOut { killAndReap() } else { closeFDs() }
        return (out, err, timedOut)
    }
}

/// pipe2(2): Glibc's module map hides it (it is _GNU_SOURCE), so it is looked up at run time.
/// Close-on-exec from the start matters: another thread's spawn must not inherit our pipe ends.
private let systemPipe2: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 = {
    guard let symbol = dlsym(nil, "pipe2") else { fatalError("pipe2 not found in libc") }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
}()

/// The environment every client process gets: the test runner's PATH and HOME, plus `extra`.
func baseEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    let inherited = ProcessInfo.processInfo.environment
    var env: [String: String] = [:]
    for key in ["PATH", "HOME", "LANG", "LC_ALL", "PYENV_ROOT", "PYENV_VERSION", "TERM", "USER", "PYTHONPATH"] {
        if let value = inherited[key] { env[key] = value }
    }
    if env["PATH"] == nil { env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
    for (k, v) in extra { env[k] = v }
    return env
}

/// Runs `argv` to completion (or to the deadline) and returns what it printed.
func runCommand(_ argv: [String], environment: [String: String] = baseEnvironment(),
                stdin: Data? = nil, timeout: Double = 30) -> CommandResult {
    let start = Date()
    do {
        let child = try ChildProcess.spawn(argv, environment: environment, stdin: stdin)
        let (out, err, timedOut) = child.communicate(stdin: stdin, timeout: timeout)
        return CommandResult(argv: argv, status: child.exitStatus ?? -1,
                             stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                             timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    } catch {
        return CommandResult(argv: argv, status: -1, stdout: "", stderr: "\(error)", timedOut: false,
                             seconds: Date().timeIntervalSince(start))
    }
}
