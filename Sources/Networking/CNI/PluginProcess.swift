import Foundation
import Glibc

/// Runs one CNI plugin executable: configuration on stdin, result on stdout, parameters in the
/// environment (CNI spec 1.0, "Section 3: Execution Protocol"). Blocking: call off the actor.
/// Also runs iptables and ip for the few host changes no plugin makes.
struct PluginProcess {
    struct Output { var status: Int32; var stdout: Data; var stderr: Data }

    /// Spawns `path` (with `arguments`) and `environment`, writes `input`, reads stdout and stderr to the end.
    static func run(_ path: String, environment: [String], input: Data, arguments: [String] = []) throws -> Output {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard makePipe(&inPipe), makePipe(&outPipe), makePipe(&errPipe) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv = [path] + arguments
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(environment) { cenv in posix_spawn(&pid, path, &actions, nil, cargv, cenv) }
        }
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO)
        }
        // Configurations are small (well under a pipe's 64 KiB): write it all, then read.
        input.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(inPipe[1], raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
        close(inPipe[1])
        let (stdout, stderr) = readBoth(outPipe[0], errPipe[0])
        close(outPipe[0]); close(errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: code, stdout: stdout, stderr: stderr)
    }

    /// Drains two pipes with poll, so a chatty stderr cannot block the plugin's stdout.
    private static func readBoth(_ a: Int32, _ b: Int32) -> (Data, Data) {
        var outputs = [Data(), Data()]
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16384)
        var open = 2
        while open > 0 {
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue }; break }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 { outputs[i].append(contentsOf: buffer[0..<n]) } else if n == 0 || errno != EINTR {
                    fds[i].fd = -1; open -= 1
                }
            }
        }
        return (outputs[0], outputs[1])
    }

    /// A close-on-exec pipe (Glibc's module has no pipe2; spawns happen off the daemon's
    /// other fork paths, so the short window before FD_CLOEXEC is harmless).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
