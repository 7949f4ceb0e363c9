import Glibc

extension Cgroup {
    /// Freezes every process in the cgroup and waits until the kernel reports it
    /// frozen (v1 freezer.state FROZEN; v2 cgroup.events "frozen 1"). Gives up
    /// after about two seconds, thawing again, with `.freezeTimeout`.
    public func freeze() throws(CgroupError) {
        try setFrozen(true)
    }

    /// Thaws the cgroup and waits until it is no longer frozen.
    public func thaw() throws(CgroupError) {
        try setFrozen(false)
    }

    /// Whether the cgroup is frozen (FREEZING counts as not yet frozen).
    public var isFrozen: Bool {
        get throws(CgroupError) {
            guard let dir = path.directory(for: "freezer") else { return false }
            switch dir.mode {
            case .v1:
                return try CgroupFile.read(dir.path + "/freezer.state", controller: "freezer") == "FROZEN"
            case .v2:
                guard let events = try Self.readEvents(dir.path) else { return false }
                return events["frozen"] == 1
            }
        }
    }

    /// Sends `signal` to every process in the cgroup and its descendants.
    ///
    /// SIGKILL on a v2 (or hybrid) host uses cgroup.kill, which cannot miss a
    /// process forking meanwhile. Otherwise the cgroup is frozen, every process
    /// signalled, and thawed again (a cgroup that was already frozen stays
    /// frozen, except for SIGKILL, which needs it thawed to be delivered on v1).
    public func killAll(signal: Int32 = SIGKILL) throws(CgroupError) {
        var killedByCgroup = false
        if signal == SIGKILL, let unified = path.unified {
            do {
                try CgroupFile.write("1", to: unified.path + "/cgroup.kill", controller: "unified")
                if path.directories.count == 1 { return }
                killedByCgroup = true
            } catch {
                if error.errno != ENOENT { throw error }
            }
        }
        // After cgroup.kill nothing can fork any more: signal stragglers (a
        // process only in the v1 hierarchies) without freezing dying tasks.
        let hasFreezer = !killedByCgroup && path.directory(for: "freezer") != nil
        let wasFrozen = hasFreezer ? ((try? isFrozen) ?? false) : false
        if hasFreezer && !wasFrozen { try? freeze() }
        let pids = try pids(recursive: true)
        for pid in pids where pid > 0 {
            if Glibc.kill(pid, signal) != 0 && errno != ESRCH {
                let failure = errno
                if hasFreezer && (!wasFrozen || signal == SIGKILL) { try? thaw() }
                throw .signal(pid: pid, signal: signal, errno: failure)
            }
        }
        if hasFreezer && (!wasFrozen || signal == SIGKILL) { try thaw() }
    }

    func setFrozen(_ frozen: Bool) throws(CgroupError) {
        guard let dir = path.directory(for: "freezer") else {
            throw .unsupported(controller: "freezer", reason: "this host has no freezer (no v1 freezer hierarchy, no cgroup v2)")
        }
        var delay: UInt32 = 100
        var waited: UInt32 = 0
        let limit: UInt32 = 2_000_000
        switch dir.mode {
        case .v1:
            let file = dir.path + "/freezer.state"
            let wanted = frozen ? "FROZEN" : "THAWED"
            var state = ""
            while true {
                // Rewriting FROZEN retries tasks that could not be frozen yet.
                try CgroupFile.write(wanted, to: file, controller: "freezer")
                state = try CgroupFile.read(file, controller: "freezer")
                if state == wanted { return }
                if waited >= limit { break }
                CgroupFile.pause(microseconds: delay)
                waited += delay
                delay = min(delay * 2, 20_000)
            }
            if frozen { try? CgroupFile.write("THAWED", to: file, controller: "freezer") }
            throw .freezeTimeout(path: file, wanted: wanted, state: state)
        case .v2:
            try CgroupFile.write(frozen ? "1" : "0", to: dir.path + "/cgroup.freeze", controller: "freezer")
            var state: UInt64 = frozen ? 0 : 1
            while true {
                state = try Self.readEvents(dir.path)?["frozen"] ?? 0
                if (state == 1) == frozen { return }
                if waited >= limit { break }
                CgroupFile.pause(microseconds: delay)
                waited += delay
                delay = min(delay * 2, 20_000)
            }
            if frozen { try? CgroupFile.write("0", to: dir.path + "/cgroup.freeze", controller: "freezer") }
            throw .freezeTimeout(path: dir.path + "/cgroup.events", wanted: frozen ? "frozen 1" : "frozen 0",
                                 state: "frozen \(state)")
        }
    }

    static func readEvents(_ dir: String) throws(CgroupError) -> [String: UInt64]? {
        let file = dir + "/cgroup.events"
        guard CgroupFile.exists(file) else { return nil }
        return try CgroupFile.readKeyValues(file, controller: "freezer")
    }
}
