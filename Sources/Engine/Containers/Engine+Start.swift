import DockerAPI
import Foundation
import Glibc
import ImageStore
import Networking
import OCI

extension Engine {
    /// `POST /containers/{id}/start`: mounts the root, writes the bundle, starts a shim that
    /// creates the container, lets attached clients connect, then starts the process.
    /// A running container is docker's 304.
    public func startContainer(_ reference: String) async throws(EngineError) {
        var record = try lookup(reference)
        if record.isRunning { throw EngineError(.notModified, "container already started") }
        if record.state.status == .removing { throw EngineError(.conflict, "container is marked for removal and cannot be started") }
        record.state.manuallyStopped = false
        do {
            try await launch(&record)
        } catch {
            // docker removes an auto-remove container whose start failed (its client waits for that).
            if record.hostConfig.autoRemove == true { try? await removeContainer(record.id, force: true, volumes: true) }
            throw error
        }
    }

    /// The start itself, shared by start, restart and the restart policy.
    func launch(_ record: inout ContainerRecord) async throws(EngineError) {
        let id = record.id
        // The actor is re-entered at every await below: one start at a time per container.
        guard !starting.contains(id) else { throw EngineError(.notModified, "container is already starting") }
        starting.insert(id)
        defer { starting.remove(id) }
        let bundle = configuration.bundle(id)
        var clock = StepClock()
        let image = try resolveImageForContainer(record)
        clock.mark("resolve image")
        // The shim starts now and waits for the bundle while the root is mounted and the bundle
        // written: its exec and set-up overlap them instead of following them.
        let shimDirectory = configuration.shimDirectory(id)
        let log = record.hostConfig.logConfig
        let request = ShimLauncher.Request(
            id: id, containerID: id, bundle: bundle, directory: shimDirectory,
            log: ShimLauncher.LogOptions(path: configuration.logPath(id),
                                         maxSize: Self.parseSize(log?.config?["max-size"]) ?? 0,
                                         maxFiles: Int(log?.config?["max-file"] ?? "") ?? 1),
            tty: record.config.tty == true, stdin: record.config.openStdin == true, execProcess: nil)
        let launcher = ShimLauncher(configuration: configuration)
        async let spawning = Blocking.run { () throws -> SpawnedShim in
            try? FileManager.default.removeItem(atPath: shimDirectory)
            try? FileManager.default.createDirectory(atPath: shimDirectory, withIntermediateDirectories: true)
            return try launcher.spawn(request, waitGo: true)
        }
        var plan = NetworkPlan(namespace: .new)
        do {
            try await runBlocking { [images] in
                // The bundle lives on the exec root: after a reboot it is made again here.
                try FileManager.default.createDirectory(atPath: bundle + "/rootfs", withIntermediateDirectories: true)
                try images.remountRootFS(image: image, containerID: id, target: bundle + "/rootfs")
            }
            clock.mark("mount rootfs")
            try await copyUpVolumes(record, rootfs: bundle + "/rootfs")
            plan = try await setUpNetworking(&record)
            clock.mark("network namespace")
            let input = try await specInput(for: record, image: image, network: plan)
            clock.mark("spec input")
            var spec = try ContainerSpecBuilder.build(input)
            Self.limitToHostCapabilities(&spec)
            clock.mark("spec build")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try ScratchFile.write(bundle + "/config.json", encoder.encode(spec))
        } catch {
            if let shim = try? await spawning { await Blocking.run { shim.abandon() } }
            try? FileManager.default.removeItem(atPath: shimDirectory)
            _ = await plan.pending?.result
            await tearDownNetworking(&record)
            await releaseRootFS(id)
            failAttachers(id)
            throw Self.startError(error)
        }
        let launched: (shim: pid_t, process: Int32)
        do {
            let shim = try await spawning
            launched = try await Blocking.run { try shim.ready() }
        } catch {
            _ = await plan.pending?.result
            await tearDownNetworking(&record)
            await releaseRootFS(id)
            try? FileManager.default.removeItem(atPath: shimDirectory)
            let message = (error as? EngineError)?.message ?? "\(error)"
            record.state.error = message
            record.state.exitCode = Self.exitCode(forStartFailure: message)
            try? commit(record)
            failAttachers(id)
            throw EngineError(.invalidParameter, "failed to create task for container: \(message)")
        }
        shimChildren[id] = launched.shim
        clock.mark("shim + runtime create")
        do { try await finishNetworking(&record, plan) } catch {
            await discardShim(id)
            await tearDownNetworking(&record)
            await releaseRootFS(id)
            record.state.error = error.message
            record.state.exitCode = 128
            try? commit(record)
            failAttachers(id)
            throw error
        }
        clock.mark("network")
        await releaseAttachers(id, target: AttachTarget(socket: configuration.shimSocket(id), tty: record.config.tty == true))
        let socket = configuration.shimSocket(id)
        // Watch before the process starts: a process that exits at once must not beat the watcher.
        // An exit reported before the record says "running" is parked in `launching` and replayed.
        launching[id] = .some(nil)
        defer { launching[id] = nil }
        let watched = watch(id, socket: socket)
        let reply = ShimReply(await Blocking.run { ShimSocket.request(socket, "start") })
        guard reply.ok, watched else {
            await discardShim(id)
            await tearDownNetworking(&record)
            await releaseRootFS(id)
            record.state.error = reply.text
            record.state.exitCode = Self.exitCode(forStartFailure: reply.text)
            try? commit(record)
            throw EngineError(.invalidParameter, "failed to start container: \(reply.text)")
        }
        clock.mark("attach + runtime start")
        record.state.status = .running
        record.state.pid = Int32(reply.text) ?? launched.process
        record.state.startedAt = .now()
        record.state.error = ""
        record.state.exitCode = 0
        record.state.hasBeenStarted = true
        try commit(record)
        clock.mark("commit")
        refreshHosts(attachedNetworkIDs(record), except: id)
        publish(record, "start")
        if case .some(.some(let early)) = launching[id] {
            launching[id] = nil
            starting.remove(id)   // the start is over: the exit may restart or remove the container
            await processExited(id, early)
        }
        logger.debug("started \(record.shortID): \(clock.report)")
    }

    /// Follows the shim's `wait` for `id`; on exit the engine records it. False when no shim
    /// answers (the caller decides what that means).
    @discardableResult
    func watch(_ id: String, socket: String) -> Bool {
        watcher.watch(socket: socket) { [weak self] outcome in
            guard let self else { return }
            Task { await self.processExited(id, outcome) }
        }
    }

    /// The image a container was created from, by its recorded digest.
    func resolveImageForContainer(_ record: ContainerRecord) throws(EngineError) -> ResolvedImage {
        do {
            if let digest = try? Digest(parsing: record.imageTarget),
               let found = try images.list(includeDangling: true).first(where: { $0.target.digest == digest }) {
                return try images.resolve(record: found)
            }
            return try resolveImage(record.imageReference)
        } catch let error as EngineError { throw error } catch {
            throw EngineError.system("image of container \(record.shortID): \(error)")
        }
    }

    /// docker's copy-up: an empty volume mounted over a directory the image has gets that
    /// directory's contents (owners, modes and all) before the container first sees it.
    func copyUpVolumes(_ record: ContainerRecord, rootfs: String) async throws {
        for point in record.mounts where point.type == "volume" {
            let volume = point.source
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: volume), entries.isEmpty,
                  let source = RootfsPath.resolve(point.destination, in: rootfs, followFinal: true) else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue,
                  let inImage = try? FileManager.default.contentsOfDirectory(atPath: source), !inImage.isEmpty else { continue }
            let result = try await Blocking.run { try ChildProcess.run(["/bin/cp", "-a", source + "/.", volume + "/"]) }
            if !result.succeeded {
                throw EngineError.system("copying \(point.destination) of the image into volume \(point.name ?? ""): \(result.output)")
            }
        }
    }

    /// Everything the spec builder needs, read from the mounted root and the host.
    func specInput(for record: ContainerRecord, image: ResolvedImage, network plan: NetworkPlan) async throws -> ContainerSpecInput {
        let bundle = configuration.bundle(record.id)
        let rootfs = bundle + "/rootfs"
        let user = try UserResolver.resolve(user: record.config.user ?? "", groupAdd: record.hostConfig.groupAdd ?? [], rootfs: rootfs)
        let etc = try writeEtcFiles(record, sharedWith: plan.sharedWith)
        var mounts: [ResolvedMount] = record.mounts.map { point in
            point.type == "volume"
                ? .volume(name: point.name ?? "", source: point.source, destination: point.destination, readOnly: !point.rw)
                : .bind(source: point.source, destination: point.destination, readOnly: !point.rw, propagation: point.propagation.isEmpty ? nil : point.propagation)
        }
        mounts += ResolvedMount.tmpfs(from: record.hostConfig.tmpfs)
        let network = plan.namespace
        return ContainerSpecInput(
            id: record.id, name: record.name, config: record.config, hostConfig: record.hostConfig,
            imageConfig: image.config.config, rootfsPath: rootfs, mounts: mounts,
            devices: try (record.hostConfig.devices ?? []).map { try ResolvedDevice.stat($0) },
            etcFiles: etc, network: network, cgroupV2Only: Self.unifiedOnly, user: user, initPath: configuration.initPath,
            defaultRlimits: DockerDefaults.inheritedRlimits())
    }

    /// /etc/hostname, /etc/hosts and /etc/resolv.conf for the container, in its bundle; with
    /// `--network container:<id>` the other container's files (docker shares them).
    func writeEtcFiles(_ record: ContainerRecord, sharedWith other: ContainerRecord?) throws -> EtcFiles {
        if let other {
            let theirs = configuration.bundle(other.id)
            return EtcFiles(hosts: theirs + "/hosts", hostname: other.hostConfig.networkMode == "host" ? nil : theirs + "/hostname",
                            resolvConf: theirs + "/resolv.conf")
        }
        let bundle = configuration.bundle(record.id)
        let hostname = record.config.hostname ?? record.shortID
        let hostMode = record.hostConfig.networkMode == "host"
        var hosts = hostsText(record)
        if hostMode, let text = try? String(contentsOfFile: "/etc/hosts", encoding: .utf8) { hosts = text }
        let resolv = EtcText.resolvConf(
            host: (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? "",
            dns: record.hostConfig.dns ?? [], search: record.hostConfig.dnsSearch ?? [],
            options: record.hostConfig.dnsOptions ?? [], hostNetwork: hostMode)
        try ScratchFile.write(bundle + "/hostname", hostname + "\n")
        try EtcText.rewriteInPlace(bundle + "/hosts", hosts)
        try ScratchFile.write(bundle + "/resolv.conf", resolv)
        return EtcFiles(hosts: bundle + "/hosts", hostname: hostMode ? nil : bundle + "/hostname", resolvConf: bundle + "/resolv.conf")
    }

    /// Capabilities the daemon itself does not hold (its bounding set) cannot be granted; a
    /// `--privileged` container gets every capability the host allows, as docker does.
    static func limitToHostCapabilities(_ spec: inout Spec) {
        guard var caps = spec.process?.capabilities else { return }
        let allowed = Self.hostCapabilities
        func keep(_ list: [String]?) -> [String]? { list.map { $0.filter { allowed.contains($0) } } }
        caps.bounding = keep(caps.bounding); caps.effective = keep(caps.effective)
        caps.permitted = keep(caps.permitted); caps.inheritable = keep(caps.inheritable); caps.ambient = keep(caps.ambient)
        spec.process?.capabilities = caps
    }

    /// Names of the capabilities in this process's bounding set (CapBnd in /proc/self/status).
    static let hostCapabilities: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("CapBnd:") }),
              let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16) else {
            return Set(LinuxCapabilities.knownNames)
        }
        var names = Set<String>()
        for (bit, name) in LinuxCapabilities.knownNames.enumerated() where bit < 64 && mask & (1 << UInt64(bit)) != 0 {
            names.insert(name)
        }
        return names
    }()

    /// True on a host with only the unified (v2) cgroup hierarchy.
    static let unifiedOnly: Bool = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0

    /// Docker's exit codes for a process that never ran: 127 not found, 126 not executable.
    static func exitCode(forStartFailure message: String) -> Int {
        if message.contains("executable file not found") || message.contains("no such file or directory") { return 127 }
        if message.contains("permission denied") { return 126 }
        return 128
    }

    static func startError(_ error: Error) -> EngineError {
        if let error = error as? EngineError { return error }
        if let error = error as? SpecBuildError { return EngineError.invalid(error.description) }
        
        return EngineError.system("\(error)")
    }

    /// `10m`, `1g`, `512k`, `100` (bytes) as docker's log options and `-m` give them.
    static func parseSize(_ text: String?) -> Int64? {
        guard var t = text?.lowercased(), !t.isEmpty else { return nil }
        if t.hasSuffix("b") { t.removeLast() }
        var scale: Double = 1
        switch t.last {
        case "k": scale = 1024
        case "m": scale = 1024 * 1024
        case "g": scale = 1024 * 1024 * 1024
        default: break
        }
        if scale != 1 { t.removeLast() }
        guard let v = Double(t), v >= 0 else { return nil }
        return Int64(v * scale)
    }

    /// Unmounts the container's root (keeping its upper layer).
    func releaseRootFS(_ id: String) async {
        let target = configuration.bundle(id) + "/rootfs"
        await Blocking.run { try? ContainerRootFS.unmount(target, detachIfBusy: true) }
    }

    /// Runs a throwing closure on the blocking pool.
    func runBlocking(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await Blocking.run(work)
    }

    /// Gives every attach request waiting for `id` the shim's socket, then waits (bounded) until
    /// they are connected, so the first output reaches them.
    func releaseAttachers(_ id: String, target: AttachTarget) async {
        guard let waiting = pendingAttaches.removeValue(forKey: id), !waiting.isEmpty else { return }
        attachBarriers[id] = AttachBarrier(remaining: waiting.count, continuation: nil)
        for continuation in waiting { continuation.resume(returning: target) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForBarrier(id) }
            group.addTask {
                try? await Task.sleep(nanoseconds: 2_000_000_000)
                await self.openBarrier(id)
            }
            await group.next()
            group.cancelAll()
        }
        openBarrier(id)
    }

    private func openBarrier(_ id: String) {
        attachBarriers.removeValue(forKey: id)?.continuation?.resume()
    }

    private func waitForBarrier(_ id: String) async {
        guard let barrier = attachBarriers[id], barrier.remaining > 0 else { return }
        await withCheckedContinuation { continuation in attachBarriers[id]?.continuation = continuation }
    }

    /// Attach requests waiting for a start that failed: they get nothing and close.
    func failAttachers(_ id: String) {
        for continuation in pendingAttaches.removeValue(forKey: id) ?? [] { continuation.resume(returning: nil) }
    }

    /// An attach client is connected to the shim (or gave up).
    public func attachConnected(_ id: String) {
        guard var barrier = attachBarriers[id] else { return }
        barrier.remaining -= 1
        if barrier.remaining <= 0 {
            barrier.continuation?.resume()
            barrier.continuation = nil
        }
        attachBarriers[id] = barrier
    }

    /// Where to attach to container `reference`: now when it runs, else when it next starts.
    public func attachTarget(_ reference: String) async throws(EngineError) -> AttachTarget? {
        let record = try lookup(reference)
        publish(record, "attach")
        if record.isRunning {
            return AttachTarget(socket: configuration.shimSocket(record.id), tty: record.config.tty == true)
        }
        let id = record.id
        return await withCheckedContinuation { continuation in pendingAttaches[id, default: []].append(continuation) }
    }
}
