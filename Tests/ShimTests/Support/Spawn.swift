import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The binaries under test: berth-shim and berth-runtime beside the test runner
/// (both live in the scratch path's `<triple>/<config>/` directory, as the runner does).
enum Binaries {
    static let directory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }()
    static var shim: String { directory + "/berth-shim" }
    static var runtime: String { directory + "/berth-runtime" }
    /// The repository root, found from this file (Tests/ShimTests/Support/Spawn.swift).
    static let repoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: shim) && FileManager.default.isExecutableFile(atPath: runtime)
    }
}

/// A pipe whose ends are both close-on-exec.
func makePipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    precondition(pipe(&fds) == 0, "pipe: errno \(errno)")
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return (fds[0], fds[1])
}

/// posix_spawn with stdio on /dev/null, `fd3` (if any) as descriptor 3, default signals,
/// and optionally a new session (as berthd spawns shims).
func spawnProcess(_ argv: [String], fd3: Int32? = nil, newSession: Bool = false) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in 0...2 {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    if let fd3 { posix_spawn_file_actions_adddup2(&actions, fd3, 3) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    let POSIX_SPAWN_SETSID: Int32 = 0x80  // glibc; hidden from Swift behind _GNU_SOURCE
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if newSession { flags |= POSIX_SPAWN_SETSID }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, environ)
    guard rc == 0 else { throw TestFailure("posix_spawn \(argv[0]): \(String(cString: strerror(rc)))") }
    return pid
}

/// Runs a command to completion (output discarded) and returns its exit status.
@discardableResult
func runQuietly(_ argv: [String], timeout: TimeInterval = 30) -> Int32 {
    guard let pid = try? spawnProcess(argv) else { return -1 }
    return waitExit(pid, timeout: timeout) ?? -1
}

/// Waits for our child `pid` (polling); the shell-style status, or nil after `timeout` (then it is killed).
func waitExit(_ pid: pid_t, timeout: TimeInterval) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { break }
        if r < 0 && errno != EINTR { return nil }
        if Date() >= deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            return nil
        }
        usleep(2000)
    }
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

/// Reads one line (without the newline) from `fd`, waiting up to `timeout`; nil at EOF first.
func readLine(_ fd: Int32, timeout: TimeInterval = 30) -> String? {
    var bytes: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
        if poll(&pfd, 1, remaining) <= 0 { return nil }
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        if n <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
        if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
    }
}

/// Polls `condition` until it holds or `timeout` passes.
@discardableResult
func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Whether `pid` is alive (and not a zombie).
func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// A test-setup failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
