import CRuntime
import Glibc
import OCI

/// Runs the hooks that execute in the runtime's namespaces (prestart,
/// createRuntime, poststart, poststop): posix_spawn, the state JSON on stdin,
/// and the hook's timeout.
enum HookRunner {
    /// Runs `hooks` in order; throws on the first failure.
    static func run(_ hooks: [Hook], kind: String, state: [UInt8]) throws(RuntimeError) {
        for hook in hooks { try run(hook, kind: kind, state: state) }
    }

    /// Runs `hooks`, printing a warning for each failure instead of stopping (poststart, poststop).
    static func runWarning(_ hooks: [Hook], kind: String, state: [UInt8]) {
        for hook in hooks {
            do { try run(hook, kind: kind, state: state) } catch {
                Log.warning("\(error)")
            }
        }
    }

    static func run(_ hook: Hook, kind: String, state: [UInt8]) throws(RuntimeError) {
        var fds: [Int32] = [-1, -1]
        guard berth_pipe(&fds) == 0 else { throw .errno("creating pipe for \(kind) hook", hook.path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        let argv = (hook.args ?? [hook.path]).map { strdup($0) } + [nil]
        let envp = (hook.env ?? []).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let r = posix_spawn(&pid, hook.path, &actions, nil, argv, envp)
        close(fds[0])
        guard r == 0 else {
            close(fds[1])
            throw .hookFailed(kind: kind, path: hook.path, reason: String(cString: strerror(r)))
        }
        // A hook may exit without reading its stdin: the write must fail with EPIPE, not kill
        // the runtime with SIGPIPE (ignored only around the write: a disposition of SIG_IGN
        // would survive execve into a container started later).
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        state.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(fds[1], buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        close(fds[1])
        var status: Int32 = 0
        if let timeout = hook.timeout, timeout > 0 {
            let pidfd = berth_pidfd_open(pid)
            var pfd = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(timeout * 1000))
            close(pidfd)
            if ready == 0 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw .hookFailed(kind: kind, path: hook.path, reason: "timed out after \(timeout)s")
            }
        }
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        if !exited { throw .hookFailed(kind: kind, path: hook.path, reason: "killed by signal \(status & 0x7f)") }
        let code = (status >> 8) & 0xff
        if code != 0 { throw .hookFailed(kind: kind, path: hook.path, reason: "exit status \(code)") }
    }
}
