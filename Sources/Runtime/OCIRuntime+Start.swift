import CRuntime
import Cgroups
import Glibc
import OCI

extension OCIRuntime {
    /// Lets a created container exec its process, then runs the poststart hooks.
    public func start(_ id: String) throws(RuntimeError) {
        let record = try store.load(id)
        let status = status(record)
        guard status == .created else {
            throw .wrongState(id: id, status: status.rawValue, operation: "start")
        }
        let path = store.directory(id) + "/start.sock"
        let fd: Int32
        do { fd = try Self.connect(path: path) } catch {
            throw .message("cannot start container \"\(id)\": its process is gone (\(error))")
        }
        defer { close(fd) }
        unlink(path)
        do { try Launcher.awaitExec(fd) } catch {
            throw .message("cannot start container \"\(id)\": \(error)")
        }
        HookRunner.runWarning(record.config.hooks?.poststart ?? [], kind: "poststart", state: hookState(record, status: .running))
    }

    /// create + start + wait + delete; returns the exit status to exit with.
    /// With `detach`, returns 0 once the process runs.
    public func run(id: String, options: CreateOptions, detach: Bool) throws(RuntimeError) -> Int32 {
        var options = options
        options.relayConsole = !detach
        let created = try create(id: id, options: options, channel: .pipe)
        let record = created.record
        var one: UInt8 = 1
        let wrote = write(created.startFD, &one, 1)
        close(created.startFD)
        defer { close(created.syncFD) }
        do throws(RuntimeError) {
            if wrote != 1 { throw .errno("starting container") }
            try Launcher.awaitExec(created.syncFD)
        } catch {
            try? delete(record, force: true)
            throw error
        }
        try writePidFile(options.pidFile, pid: record.pid)
        HookRunner.runWarning(record.config.hooks?.poststart ?? [], kind: "poststart", state: hookState(record, status: .running))
        if detach { return 0 }
        berth_forward_signals(record.pid)
        if created.consoleMaster >= 0 {
            ConsoleRelay.relay(master: created.consoleMaster)
            close(created.consoleMaster)
        }
        let code = Self.wait(record.pid)
        Log.trace("exited")
        try delete(record, force: true)
        Log.trace("deleted")
        return code
    }

    /// Waits for our child `pid` and returns the shell-style exit status (128+signal when killed).
    static func wait(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 255 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
