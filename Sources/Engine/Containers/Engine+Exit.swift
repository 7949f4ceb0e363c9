import DockerAPI
import Foundation
import Glibc
import ImageStore

extension Engine {
    /// The shim reported that container `id`'s process ended (or the shim vanished): record it,
    /// clean the runtime state and mounts, wake waiters, then restart or auto-remove as asked.
    func processExited(_ id: String, _ outcome: ShimWatcher.Outcome) async {
        if case .some(.none) = launching[id] {
            launching[id] = .some(outcome)
            return
        }
        guard var record = containers[id], record.isRunning else { return }
        var code: Int
        var finished: Timestamp
        switch outcome {
        case .exited(let c, let at):
            code = c; finished = at
        case .shimLost:
            // The shim died (kill -9): its exit record may still tell how the process ended.
            if let recorded = readExitRecord(id) { (code, finished) = recorded } else {
                code = 137; finished = .now()
                record.state.error = "shim exited unexpectedly"
            }
            // Nobody holds the container any more: make sure its process is gone.
            let calls = RuntimeCalls(configuration: configuration)
            await Blocking.run { calls.killAll(id, signal: 9) }
        }
        var clock = StepClock()
        let oom = code == 137 && Self.oomKilled(id)
        clock.mark("oom check")
        // The runtime's cleanup and the network's are independent: side by side.
        // An auto-remove container is removed next (docker refuses --rm with a restart policy):
        // its writable layer and bundle go now, beside the runtime's delete.
        let removing = record.hostConfig.autoRemove == true
        async let cleaned: Void = cleanupAfterExit(id, removing: removing)
        let networksLeft = attachedNetworkIDs(record)
        await tearDownNetworking(&record)
        await cleaned
        clock.mark("runtime delete + unmount + network")
        record.state.status = .exited
        record.state.exitCode = code
        record.state.finishedAt = finished
        record.state.pid = 0
        record.state.oomKilled = oom
        let forced = stopping.contains(id)
        let restart = !forced && Self.shouldRestart(record)
        if restart { record.state.status = .restarting }
        if record.hostConfig.autoRemove == true && !restart {
            // Its row is deleted next: not worth a write (a crash in between finds the shim gone
            // at restore, and the removal happens then).
            containers[id] = record
        } else {
            try? commit(record)
        }
        refreshHosts(networksLeft)
        publish(record, "die", extra: ["exitCode": String(code)])
        resumeExitWaiters(id, ExitInfo(code: code, error: nil))
        clock.mark("record")
        logger.debug("exited \(record.shortID) (\(code)): \(clock.report) after \((Timestamp.now().nanoseconds - finished.nanoseconds) / 1000) µs")
        if restart {
            let delay = Self.restartDelay(record.state.restartCount)
            Task {
                try? await Task.sleep(nanoseconds: delay)
                await self.restartByPolicy(id)
            }
        } else if record.hostConfig.autoRemove == true {
            try? await removeContainer(id, force: true, volumes: true)
        }
    }

    /// Runtime delete, unmount, shim directory and reaping, after the process ended; when
    /// `removing`, the writable layer and the bundle too (the removal then finds them gone).
    func cleanupAfterExit(_ id: String, removing: Bool = false) async {
        let shim = shimChildren.removeValue(forKey: id)
        let calls = RuntimeCalls(configuration: configuration)
        // Runtime state and cgroups, the root's mount, and the shim: each on its own thread.
        async let deleted: Void = Blocking.run { calls.delete(id) }
        async let unmounted: Void = Blocking.run { [configuration, images] in
            let rootfs = configuration.bundle(id) + "/rootfs"
            try? ContainerRootFS.unmount(rootfs, detachIfBusy: true)
            if removing {
                try? images.unmountRootFS(containerID: id, target: rootfs)
                try? FileManager.default.removeItem(atPath: configuration.bundle(id))
            }
        }
        await Blocking.run { [configuration] in
            if let shim { ChildProcess.waitFor(shim) }
            try? FileManager.default.removeItem(atPath: configuration.shimDirectory(id))
        }
        _ = await (deleted, unmounted)
    }

    /// Kills and forgets a shim whose container never started.
    func discardShim(_ id: String) async {
        let socket = configuration.shimSocket(id)
        let shim = shimChildren.removeValue(forKey: id)
        let calls = RuntimeCalls(configuration: configuration)
        await Blocking.run { [configuration] in
            calls.delete(id)
            _ = ShimSocket.request(socket, "kill 9")
            if let shim { kill(shim, SIGKILL); ChildProcess.waitFor(shim) }
            try? FileManager.default.removeItem(atPath: configuration.shimDirectory(id))
        }
    }

    /// `<dir>/exit`: `<code> <nanos>` written by the shim when the process ended.
    func readExitRecord(_ id: String) -> (Int, Timestamp)? {
        guard let text = try? String(contentsOfFile: configuration.shimDirectory(id) + "/exit", encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 2, let code = Int(parts[0]), let nanos = Int64(parts[1]) else { return nil }
        return (code, Timestamp(nanoseconds: nanos))
    }

    func resumeExitWaiters(_ id: String, _ info: ExitInfo) {
        for waiter in exitWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: info) }
    }

    /// Docker's restart rules after an exit the user did not ask for.
    static func shouldRestart(_ record: ContainerRecord) -> Bool {
        let policy = record.hostConfig.restartPolicy
        switch policy?.name ?? "" {
        case "always": return true
        case "unless-stopped": return !record.state.manuallyStopped
        case "on-failure":
            guard record.state.exitCode != 0 else { return false }
            let maximum = policy?.maximumRetryCount ?? 0
            return maximum == 0 || record.state.restartCount < maximum
        default: return false
        }
    }

    /// Docker's back-off: 100 ms doubling per restart, at most a minute.
    static func restartDelay(_ count: Int) -> UInt64 {
        let ms = min(60_000, 100 << min(count, 10))
        return UInt64(ms) * 1_000_000
    }

    func restartByPolicy(_ id: String) async {
        guard var record = containers[id], record.state.status == .restarting else { return }
        record.state.restartCount += 1
        do {
            try await launch(&record)
            if var updated = containers[id] { updated.state.restartCount = record.state.restartCount; try? commit(updated) }
            if let updated = containers[id] { publish(updated, "restart") }
        } catch {
            logger.error("restart of \(record.shortID) failed: \(error.message)")
            if var failed = containers[id] {
                failed.state.status = .exited
                try? commit(failed)
            }
        }
    }

    /// True when the kernel's OOM killer ended something in the container's memory cgroup.
    static func oomKilled(_ id: String) -> Bool {
        for path in ["/sys/fs/cgroup/berth/\(id)/memory.events", "/sys/fs/cgroup/memory/berth/\(id)/memory.oom_control"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
                    return (Int(line.split(separator: " ").last ?? "0") ?? 0) > 0
                }
            }
        }
        return false
    }
}
