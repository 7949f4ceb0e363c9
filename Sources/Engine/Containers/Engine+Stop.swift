import DockerAPI
import Foundation
import Glibc

extension Engine {
    /// `POST /containers/{id}/stop`: the stop signal, then SIGKILL after `timeout` seconds
    /// (the container's StopTimeout, else 10). A container that is not running is docker's 304.
    public func stopContainer(_ reference: String, timeout: Int?, signal: String?) async throws(EngineError) {
        var record = try lookup(reference)
        guard record.isRunning else { throw EngineError(.notModified, "container already stopped") }
        let id = record.id
        record.state.manuallyStopped = true
        try commit(record)
        if record.state.status == .restarting {
            record.state.status = .exited
            try commit(record)
            return
        }
        stopping.insert(id)
        defer { stopping.remove(id) }
        if record.state.status == .paused { try? await unpauseContainer(id) }
        let signo = try Self.signalNumber(signal ?? record.config.stopSignal ?? "SIGTERM")
        let grace = timeout ?? record.config.stopTimeout ?? 10
        publish(record, "kill", extra: ["signal": String(signo)])
        try await sendSignal(id, signo)
        if grace < 0 { _ = await waitForExit(id); return }
        let exited = await waitForExit(id, timeoutNanoseconds: UInt64(grace) * 1_000_000_000)
        if !exited {
            try? await sendSignal(id, SIGKILL)
            _ = await waitForExit(id)
        }
        if let stopped = containers[id] { publish(stopped, "stop") }
    }

    /// `POST /containers/{id}/kill`: 409 when not running.
    public func killContainer(_ reference: String, signal: String?) async throws(EngineError) {
        var record = try lookup(reference)
        guard record.isRunning, record.state.status != .restarting else {
            throw EngineError(.conflict, "Cannot kill container: \(reference): Container \(record.id) is not running")
        }
        let signo = try Self.signalNumber(signal ?? "SIGKILL")
        if signo == SIGKILL || signo == SIGTERM || signo == SIGINT {
            record.state.manuallyStopped = true
            try commit(record)
            stopping.insert(record.id)
        }
        publish(record, "kill", extra: ["signal": String(signo)])
        try await self.sendSignal(record.id, signo)
        if signo == SIGKILL {
            _ = await waitForExit(record.id, timeoutNanoseconds: 5_000_000_000)
            stopping.remove(record.id)
        } else if stopping.contains(record.id) {
            let id = record.id
            Task {
                _ = await self.waitForExit(id)
                await self.clearStopping(id)
            }
        }
    }

    func clearStopping(_ id: String) { stopping.remove(id) }

    /// `POST /containers/{id}/restart`.
    public func restartContainer(_ reference: String, timeout: Int?, signal: String?) async throws(EngineError) {
        let record = try lookup(reference)
        if record.isRunning {
            do { try await stopContainer(record.id, timeout: timeout, signal: signal) } catch where error.kind == .notModified {}
        }
        guard var current = containers[record.id] else { throw EngineError.noSuchContainer(reference) }
        current.state.manuallyStopped = false
        try await launch(&current)
        if let restarted = containers[record.id] { publish(restarted, "restart") }
    }

    /// Sends `signo` to the container's process through its shim.
    func sendSignal(_ id: String, _ signo: Int32) async throws(EngineError) {
        let socket = configuration.shimSocket(id)
        let reply = ShimReply(await Blocking.run { ShimSocket.request(socket, "kill \(signo)") })
        if !reply.ok && !reply.text.contains("No such process") {
            throw EngineError.system("Cannot kill container \(id): \(reply.text)")
        }
    }

    /// Waits until `id` is not running; false when `timeoutNanoseconds` passed first.
    func waitForExit(_ id: String, timeoutNanoseconds: UInt64? = nil) async -> Bool {
        guard let record = containers[id], record.isRunning, record.state.status != .restarting else { return true }
        if let timeoutNanoseconds {
            let deadline = DispatchTime.now().uptimeNanoseconds + timeoutNanoseconds
            while DispatchTime.now().uptimeNanoseconds < deadline {
                guard let current = containers[id], current.isRunning, current.state.status != .restarting else { return true }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            guard let current = containers[id] else { return true }
            return !current.isRunning || current.state.status == .restarting
        }
        _ = await withCheckedContinuation { continuation in exitWaiters[id, default: []].append(continuation) }
        return true
    }

    /// `POST /containers/{id}/wait?condition=not-running|next-exit|removed`. `since` is when the
    /// request arrived: an exit between its arrival and now still counts.
    public func waitContainer(_ reference: String, condition: String, since: Timestamp) async throws(EngineError) -> ExitInfo {
        let record: ContainerRecord
        do { record = try lookup(reference) } catch {
            if condition == "removed", let (info, _) = recentlyRemoved.first(where: { $0.key.hasPrefix(reference) })?.value {
                return info
            }
            throw error
        }
        let id = record.id
        switch condition {
        case "", "not-running":
            if !record.isRunning { return ExitInfo(code: record.state.exitCode) }
            return await withCheckedContinuation { continuation in exitWaiters[id, default: []].append(continuation) }
        case "next-exit":
            // An exit since the wait began. The exit time is the shim's and the start time the
            // engine's (taken after the runtime's start answered): a process that exits at once can
            // finish "before" it started, so either one after `since` counts.
            if !record.isRunning, record.state.hasBeenStarted, record.state.startedAt >= since || record.state.finishedAt >= since {
                return ExitInfo(code: record.state.exitCode)
            }
            return await withCheckedContinuation { continuation in exitWaiters[id, default: []].append(continuation) }
        case "removed":
            return await withCheckedContinuation { continuation in removalWaiters[id, default: []].append(continuation) }
        default:
            throw EngineError.invalid("invalid condition: \"\(condition)\"")
        }
    }

    /// `POST /containers/{id}/pause` through the runtime's freezer.
    public func pauseContainer(_ reference: String) async throws(EngineError) {
        var record = try lookup(reference)
        guard record.state.status == .running else {
            if record.state.status == .paused { throw EngineError(.conflict, "Container \(record.id) is already paused") }
            throw EngineError(.conflict, "Container \(record.id) is not running")
        }
        try await freeze(record.id, pause: true)
        record.state.status = .paused
        try commit(record)
        publish(record, "pause")
    }

    public func unpauseContainer(_ reference: String) async throws(EngineError) {
        var record = try lookup(reference)
        guard record.state.status == .paused else { throw EngineError(.conflict, "Container \(record.id) is not paused") }
        try await freeze(record.id, pause: false)
        record.state.status = .running
        try commit(record)
        publish(record, "unpause")
    }

    /// Freezes or thaws the container's cgroup through the runtime.
    func freeze(_ id: String, pause: Bool) async throws(EngineError) {
        let calls = RuntimeCalls(configuration: configuration)
        if let failure = await Blocking.run({ calls.freeze(id, pause: pause) }) { throw EngineError.system(failure) }
    }

    /// `SIGTERM`, `TERM`, `15` → 15; docker's message for anything else.
    public static func signalNumber(_ text: String) throws(EngineError) -> Int32 {
        if let n = Int32(text), n > 0, n < 65 { return n }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        let table: [String: Int32] = [
            "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7, "FPE": 8, "KILL": 9,
            "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15, "STKFLT": 16, "CHLD": 17,
            "CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25,
            "VTALRM": 26, "PROF": 27, "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31,
        ]
        if let n = table[name] { return n }
        if name.hasPrefix("RTMIN") {
            let offset = Int32(name.dropFirst(5).replacingOccurrences(of: "+", with: "")) ?? 0
            return 34 + offset
        }
        throw EngineError.invalid("Invalid signal: \(text)")
    }
}
