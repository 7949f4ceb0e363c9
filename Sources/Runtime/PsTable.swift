import CRuntime
import Glibc

/// `ps` for one container: runs ps(1) and keeps the header and the rows of the container's pids.
public enum PsTable {
    /// The filtered ps output for `pids`.
    public static func render(pids: [Int32], psArgs: [String]) throws(RuntimeError) -> String {
        let output = try capture(["ps"] + psArgs)
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return "" }
        let header = lines.removeFirst()
        guard let column = header.split(separator: " ").firstIndex(of: "PID") else {
            throw .message("ps output has no PID column (ps \(psArgs.joined(separator: " ")))")
        }
        let wanted = Set(pids)
        let rows = lines.filter { line in
            let fields = line.split(separator: " ")
            return fields.count > column && Int32(fields[column]).map(wanted.contains) == true
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    static func capture(_ argv: [String]) throws(RuntimeError) -> String {
        var fds: [Int32] = [-1, -1]
        guard berth_pipe(&fds) == 0 else { throw .errno("creating pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let r = posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ)
        close(fds[1])
        guard r == 0 else { close(fds[0]); throw .system(operation: "running", path: argv[0], errno: r) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: out, as: UTF8.self)
    }
}
