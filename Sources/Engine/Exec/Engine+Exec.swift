import DockerAPI
import Foundation
import OCI

extension Engine {
    /// `POST /containers/{id}/exec`: 409 unless the container runs.
    public func createExec(_ reference: String, _ request: ExecCreateRequest) throws(EngineError) -> String {
        let record = try lookup(reference)
        guard record.state.status == .running else {
            if record.state.status == .paused { throw EngineError(.conflict, "Container \(record.id) is paused, unpause the container before exec") }
            throw EngineError(.conflict, "container \(record.id) is not running")
        }
        guard let cmd = request.cmd, !cmd.isEmpty, !cmd[0].isEmpty else { throw EngineError.invalid("No exec command specified") }
        let id = ContainerNames.newID()
        execs[id] = ExecRecord(id: id, containerID: record.id, request: request)
        publish(record, "exec_create: " + cmd.joined(separator: " "), extra: ["execID": id])
        return id
    }

    public func exec(_ id: String) throws(EngineError) -> ExecRecord {
        guard let exec = execs[id] else { throw EngineError.noSuchExec(id) }
        return exec
    }

    /// Writes the exec's process and starts its shim (the process itself starts at `startExec`);
    /// returns where to attach.
    public func prepareExec(_ id: String, tty overrideTTY: Bool?) async throws(EngineError) -> AttachTarget {
        guard var exec = execs[id] else { throw EngineError.noSuchExec(id) }
        if exec.started { throw EngineError(.conflict, "Error: Exec command \(id) has already run") }
        guard let container = containers[exec.containerID], container.state.status == .running else {
            throw EngineError(.conflict, "container \(exec.containerID) is not running")
        }
        exec.started = true
        execs[id] = exec
        let tty = overrideTTY ?? exec.request.tty ?? false
        let directory = configuration.shimDirectory(id)
        let processFile = directory + "/process.json"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let process = try execProcess(exec, container: container, tty: tty)
            let encoder = JSONEncoder()
            try ScratchFile.write(processFile, encoder.encode(process))
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw Self.startError(error)
        }
        let request = ShimLauncher.Request(id: id, containerID: container.id, bundle: configuration.bundle(container.id),
                                           directory: directory, log: nil, tty: tty,
                                           stdin: exec.request.attachStdin == true, execProcess: processFile)
        let launcher = ShimLauncher(configuration: configuration)
        do {
            let launched = try await Blocking.run { try launcher.launch(request) }
            shimChildren[id] = launched.shim
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw (error as? EngineError) ?? EngineError.system("\(error)")
        }
        return AttachTarget(socket: configuration.shimSocket(id), tty: tty)
    }

    /// Starts the prepared exec's process; its failure (e.g. no such program) sets docker's
    /// exit code 126/127 and is returned as the message to show.
    public func startExec(_ id: String) async -> String? {
        guard var exec = execs[id] else { return "No such exec instance: \(id)" }
        let socket = configuration.shimSocket(id)
        let reply = ShimReply(await Blocking.run { ShimSocket.request(socket, "start") })
        guard reply.ok else {
            exec.exitCode = Self.exitCode(forStartFailure: reply.text)
            execs[id] = exec
            await discardShim(id)
            return "OCI runtime exec failed: \(reply.text)"
        }
        exec.running = true
        exec.pid = Int32(reply.text) ?? 0
        execs[id] = exec
        if let container = containers[exec.containerID] {
            publish(container, "exec_start: " + (exec.request.cmd ?? []).joined(separator: " "), extra: ["execID": id])
        }
        let accepted = watcher.watch(socket: socket) { [weak self] outcome in
            guard let self else { return }
            Task { await self.execExited(id, outcome) }
        }
        if !accepted { await execExited(id, .shimLost) }
        return nil
    }

    func execExited(_ id: String, _ outcome: ShimWatcher.Outcome) async {
        guard var exec = execs[id] else { return }
        switch outcome {
        case .exited(let code, _): exec.exitCode = code
        case .shimLost: exec.exitCode = readExitRecord(id)?.0 ?? 137
        }
        exec.running = false
        execs[id] = exec
        let shim = shimChildren.removeValue(forKey: id)
        await Blocking.run { [configuration] in
            if let shim { ChildProcess.waitFor(shim) }
            try? FileManager.default.removeItem(atPath: configuration.shimDirectory(id))
        }
        if let container = containers[exec.containerID] {
            publish(container, "exec_die", extra: ["execID": id, "exitCode": String(exec.exitCode ?? 0)])
        }
        for waiter in execWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }

    /// Waits until exec `id` has ended (for a hijacked stream to close at the right time).
    public func waitExec(_ id: String) async {
        guard let exec = execs[id], exec.running else { return }
        await withCheckedContinuation { continuation in execWaiters[id, default: []].append(continuation) }
    }

    /// Resize an exec's TTY.
    public func resizeExec(_ id: String, height: Int, width: Int) async throws(EngineError) {
        guard execs[id] != nil else { throw EngineError.noSuchExec(id) }
        let socket = configuration.shimSocket(id)
        _ = await Blocking.run { ShimSocket.request(socket, "resize \(height) \(width)") }
    }

    /// Resize a container's TTY.
    public func resizeContainer(_ reference: String, height: Int, width: Int) async throws(EngineError) {
        let record = try lookup(reference)
        guard record.isRunning else { throw EngineError(.conflict, "Container \(record.id) is not running") }
        let socket = configuration.shimSocket(record.id)
        _ = await Blocking.run { ShimSocket.request(socket, "resize \(height) \(width)") }
    }

    /// The exec's runtime process: the container's own process (from its config.json) with the
    /// exec's command, environment, user, working directory and terminal.
    func execProcess(_ exec: ExecRecord, container: ContainerRecord, tty: Bool) throws -> ProcessSpec {
        let data = try Data(contentsOf: URL(fileURLWithPath: configuration.bundle(container.id) + "/config.json"))
        let spec = try JSONDecoder().decode(Spec.self, from: data)
        guard var process = spec.process else { throw EngineError.system("container \(container.shortID) has no process") }
        process.args = exec.request.cmd ?? []
        process.terminal = tty
        process.consoleSize = nil
        var env = process.env ?? []
        for entry in exec.request.env ?? [] {
            let key = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            env.removeAll { $0.hasPrefix(key + "=") }
            env.append(entry)
        }
        process.env = env
        if let dir = exec.request.workingDir, !dir.isEmpty { process.cwd = dir }
        if let user = exec.request.user, !user.isEmpty {
            let resolved = try UserResolver.resolve(user: user, groupAdd: container.hostConfig.groupAdd ?? [],
                                                    rootfs: configuration.bundle(container.id) + "/rootfs")
            process.user.uid = resolved.uid
            process.user.gid = resolved.gid
            process.user.additionalGids = resolved.additionalGids
        }
        if exec.request.privileged == true {
            let all = DockerDefaults.allCapabilities
            process.capabilities = LinuxCapabilities(bounding: all, effective: all, inheritable: nil, permitted: all, ambient: nil)
        }
        return process
    }
}
