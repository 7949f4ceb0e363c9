import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// True when the test process runs as root; every end-to-end runtime test needs it.
let runningAsRoot = getuid() == 0

/// The reason shown when the end-to-end tests are skipped.
let rootOnlyReason: Comment = "end-to-end runtime tests need root (namespaces, mounts, cgroups)"

/// What one command did: its exit status and everything it wrote.
struct CommandResult: CustomStringConvertible {
    var command: [String]
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    var description: String {
        "`\(command.joined(separator: " "))` exited \(status)\(timedOut ? " (TIMED OUT)" : "")\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// Runs an executable, stdout and stderr captured in files (a detached container may keep
/// them open, so pipes would never reach EOF), killed after `timeout` seconds.
///
/// Uses posix_spawn + waitpid rather than Foundation `Process`: Process' SIGCHLD monitoring
/// was seen to miss the exit of a child whose own child outlived it, leaving a zombie and a hung test.
func runCommand(
    _ executable: String,
    _ arguments: [String],
    stdin: String? = nil,
    stdoutPath: String? = nil,
    timeout: TimeInterval = 20
) -> CommandResult {
    let scratch = "/tmp/berth-e2e-cmd-\(uniqueToken())"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let outPath = stdoutPath ?? scratch + "/stdout"
    let errPath = scratch + "/stderr"
    var inPath = "/dev/null"
    if let stdin {
        inPath = scratch + "/stdin"
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin.utf8))
    }
    let command = [executable] + arguments
    guard let child = spawn(executable, arguments, stdin: inPath, stdout: outPath, stderr: errPath) else {
        return CommandResult(command: command, status: 127, stdout: "", stderr: "cannot spawn: errno \(errno)", timedOut: false)
    }
    let (status, timedOut) = waitForExit(child, timeout: timeout)
    return CommandResult(
        command: command, status: status, stdout: readFile(outPath), stderr: readFile(errPath), timedOut: timedOut)
}

/// posix_spawn with stdio redirected to files and every other descriptor closed in the child.
func spawn(_ executable: String, _ arguments: [String], stdin: String, stdout: String, stderr: String) -> pid_t? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    closeOtherDescriptors(&actions)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A clean signal state: the test runner may block or ignore signals a runtime relies on.
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard rc == 0 else {
        errno = rc
        return nil
    }
    return pid
}

/// Makes the child close every descriptor above 2, so a long-lived container never holds
/// one of the test runner's pipes. glibc ≥ 2.34 has addclosefrom_np (not imported into
/// Swift, so found with dlsym); otherwise the runner's descriptors are marked close-on-exec.
private func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        if addCloseFrom(&actions, 3) == 0 { return }
    }
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
        if let fd = Int32(entry), fd > 2 {
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
    }
}

/// Polls waitpid until `pid` exits; SIGKILLs it after `timeout`. Returns (status, timedOut),
/// where status is the exit code or 128+signal, like a shell.
func waitForExit(_ pid: pid_t, timeout: TimeInterval) -> (Int32, Bool) {
    let deadline = Date().addingTimeInterval(timeout)
    var raw: Int32 = 0
    var delay: useconds_t = 100
    var timedOut = false
    while true {
        let r = waitpid(pid, &raw, WNOHANG)
        if r == pid { break }
        if r < 0 && errno != EINTR { return (-1, timedOut) }
        if !timedOut && Date() >= deadline {
            timedOut = true
            kill(pid, SIGKILL)
        }
        usleep(delay)
        delay = min(delay * 2, 5000)
    }
    let signal = raw & 0x7f
    let status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    return (timedOut ? -1 : status, timedOut)
}

/// Runs a shell command line on the host (for setup: mounts, netns, cgroups).
@discardableResult
func host(_ script: String, timeout: TimeInterval = 20) -> CommandResult {
    runCommand("/bin/sh", ["-c", script], timeout: timeout)
}

/// The runtime binary under test: `BERTH_RUNTIME`, else `berth-runtime` beside the test bundle.
struct RuntimeBinary: Sendable {
    var path: String?
    var problem: String?
    /// True when the binary is runc (messages differ; exit statuses must not).
    var isRunc: Bool

    static let shared: RuntimeBinary = locate()

    private static func locate() -> RuntimeBinary {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["BERTH_RUNTIME"], !env.isEmpty {
            guard fm.isExecutableFile(atPath: env) else {
                return RuntimeBinary(path: nil, problem: "BERTH_RUNTIME=\(env) is not an executable file", isRunc: false)
            }
            return RuntimeBinary(path: env, problem: nil, isRunc: detectRunc(env))
        }
        // The test runner lives in .build/<triple>/<config>/; so does berth-runtime.
        var candidates: [String] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().path)
        }
        if let arg0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: arg0)
            candidates.append(url.deletingLastPathComponent().path)
            // Inside an .xctest bundle directory (Darwin layout) go up to the products dir.
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().path)
        }
        candidates.append(Bundle.main.bundleURL.path)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        for dir in candidates {
            let path = URL(fileURLWithPath: dir).appendingPathComponent("berth-runtime").standardizedFileURL.path
            if fm.isExecutableFile(atPath: path) {
                return RuntimeBinary(path: path, problem: nil, isRunc: detectRunc(path))
            }
        }
        return RuntimeBinary(
            path: nil,
            problem: "berth-runtime not found beside the test runner (looked in \(candidates)); build it or set BERTH_RUNTIME",
            isRunc: false)
    }

    private static func detectRunc(_ path: String) -> Bool {
        if URL(fileURLWithPath: path).lastPathComponent == "runc" { return true }
        let version = runCommand(path, ["--version"], timeout: 5)
        return version.stdout.hasPrefix("runc version")
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
@discardableResult
func poll(timeout: TimeInterval = 5, interval: TimeInterval = 0.01, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if condition() { return true }
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: interval)
    }
}

/// Parses a JSON document into a dictionary (or nil).
func jsonObject(_ text: String) -> [String: Any]? {
    guard let data = text.data(using: .utf8) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// Parses a JSON array.
func jsonArray(_ text: String) -> [Any]? {
    guard let data = text.data(using: .utf8) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [Any]
}

/// A command running in the background (a socket listener, say) with output in files.
final class BackgroundCommand {
    let pid: pid_t
    let scratch: String
    private let command: [String]

    init(_ executable: String, _ arguments: [String]) throws {
        scratch = "/tmp/berth-e2e-bg-\(uniqueToken())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        command = [executable] + arguments
        guard let pid = spawn(executable, arguments, stdin: "/dev/null", stdout: scratch + "/stdout", stderr: scratch + "/stderr") else {
            throw CocoaError(.executableLoad)
        }
        self.pid = pid
    }

    /// Waits for exit (killing it after `timeout`) and returns what it did.
    func wait(timeout: TimeInterval = 10) -> CommandResult {
        let (status, timedOut) = waitForExit(pid, timeout: timeout)
        let result = CommandResult(
            command: command, status: status,
            stdout: readFile(scratch + "/stdout"), stderr: readFile(scratch + "/stderr"), timedOut: timedOut)
        try? FileManager.default.removeItem(atPath: scratch)
        return result
    }
}
