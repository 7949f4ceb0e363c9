import Cgroups
import Glibc
import OCI

extension OCIRuntime {
    /// Removes a stopped (or created) container, or with `force` any container after
    /// killing it: its processes, cgroup and state go, then the poststop hooks run.
    public func delete(_ id: String, force: Bool) throws(RuntimeError) {
        try StateStore.validate(id: id)
        let record: ContainerRecord
        do { record = try store.loadForDelete(id) } catch {
            // A directory left by a crashed create has no state: delete clears it.
            if store.isAbandoned(id), Host.exists(store.directory(id)) { store.remove(id); return }
            if force, case .message = error { store.remove(id); return }
            if force, case .notFound = error { return }  // runc: nothing to delete is fine with --force
            throw error
        }
        try delete(record, force: force)
    }

    /// Deletes the container `record` describes (see `delete(_:force:)`).
    func delete(_ record: ContainerRecord, force: Bool) throws(RuntimeError) {
        let id = record.id
        let status = status(record)
        if status == .running || status == .paused, !force {
            throw .message("cannot delete container \"\(id)\" that is not stopped: \(status.rawValue)")
        }
        let cgroup = Cgroup(path: record.cgroup)
        if status != .stopped {
            try? cgroup.killAll(signal: SIGKILL)
            Glibc.kill(record.pid, SIGKILL)
            if status == .paused { try? cgroup.thaw() }
            waitGone(record)
        }
        // Anything left in the cgroup (daemons the process started) goes with it.
        if let pids = try? cgroup.pids(recursive: true), !pids.isEmpty {
            try? cgroup.killAll(signal: SIGKILL)
            try? cgroup.thaw()
        }
        var failure: RuntimeError?
        do { try Self.destroy(cgroup, config: record.config) } catch { failure = error }
        store.remove(id)
        HookRunner.runWarning(record.config.hooks?.poststop ?? [], kind: "poststop", state: hookState(record, status: .stopped))
        if let failure { throw failure }
    }

    /// Removes the container's cgroup; for the default /berth/<id>, also /berth once empty.
    static func destroy(_ cgroup: Cgroup, config: Spec) throws(RuntimeError) {
        do { try cgroup.destroy() } catch { throw .message("removing cgroup: \(error)") }
        if config.linux?.cgroupsPath == nil {
            for directory in cgroup.path.directories { rmdir(Host.dirname(of: directory.path)) }
        }
    }

    /// Waits (up to 10 s) until the container's process has exited; reaps it if it is ours.
    func waitGone(_ record: ContainerRecord) {
        for _ in 0..<1000 {
            var status: Int32 = 0
            _ = waitpid(record.pid, &status, WNOHANG)
            guard let p = Host.processStart(record.pid), p.start == record.pidStart, !p.zombie else { return }
            usleep(10_000)
        }
    }
}
