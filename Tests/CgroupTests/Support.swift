import Foundation
import Glibc
@testable import Cgroups

/// True when the tests run as root (cgroup writes, bpf(2), mknod).
let isRoot = getuid() == 0

/// A unique cgroup name for one test, e.g. "berth-test-1234-ab12cd".
func uniqueTestName(_ label: String) -> String {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    return "berth-test-\(label)-\(getpid())-\(suffix)"
}

/// Reads a file as trimmed text, or "" if it cannot be read.
func readText(_ path: String) -> String {
    (try? CgroupFile.read(path, controller: "test")) ?? ""
}

/// Whether a path exists.
func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// A child process the test owns: killed and reaped on `stop()`, whatever happened.
final class Child: @unchecked Sendable {
    let process = Process()
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stdoutPipe
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits up to `seconds` for the process to exit; true if it did.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        return !process.isRunning
    }

    /// Kills (SIGKILL) and reaps the process if it still runs.
    func stop() {
        if process.isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit(seconds: 5)
        }
    }
}

/// Removes a test cgroup completely: thaws it, kills what is inside, removes
/// its directories and the test's parent directories (used in `defer`).
func cleanUp(_ cgroup: Cgroup, parents: [String] = []) {
    for directory in cgroup.path.directories where exists(directory.path) {
        if directory.mode == .v1, exists(directory.path + "/freezer.state") {
            try? CgroupFile.write("THAWED", to: directory.path + "/freezer.state", controller: "test")
        }
        if directory.mode == .v2, exists(directory.path + "/cgroup.freeze") {
            try? CgroupFile.write("0", to: directory.path + "/cgroup.freeze", controller: "test")
        }
    }
    try? cgroup.killAll(signal: SIGKILL)
    try? cgroup.destroy()
    for parent in parents { rmdir(parent) }
}
