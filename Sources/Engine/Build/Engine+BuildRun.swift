import Build
import DockerAPI
import Foundation
import Synchronization
import ImageStore
import OCI

extension Engine {
    /// A build's RUN step, as docker's legacy builder does it: a container is created from the
    /// step's image (by manifest digest; build images have no name), started through the shim and
    /// runtime like any container, its output followed in its log, its exit awaited; on success its
    /// upper directory becomes a layer (`ImageStore.writeLayer`, the path `docker commit` uses).
    /// The container (mounts, cgroup, bundle, record) is removed whatever happened.
    public func runBuildStep(_ request: BuildRunRequest, holder: String,
                             output: @escaping @Sendable ([UInt8]) async -> Void) async throws(EngineError) -> BuildRunOutcome {
        var config = DockerAPI.ContainerConfig()
        config.image = request.image.manifestDescriptor.digest.string
        config.cmd = request.argv
        config.entrypoint = []
        config.env = request.env
        config.user = request.user
        config.workingDir = request.workingDir
        config.attachStdout = true
        config.attachStderr = true
        config.labels = [:]
        var host = HostConfig()
        switch request.network {
        case "host": host.networkMode = "host"
        case "none": host.networkMode = "none"
        default: host.networkMode = "default"
        }
        var binds: [String] = []
        var tmpfs: [String: String] = [:]
        for mount in request.mounts {
            switch mount {
            case .bind(let source, let target, let readOnly): binds.append("\(source):\(target):\(readOnly ? "ro" : "rw")")
            case .tmpfs(let target, let size): tmpfs[target] = size.map { "size=\($0)" } ?? ""
            }
        }
        host.binds = binds.isEmpty ? nil : binds
        host.tmpfs = tmpfs.isEmpty ? nil : tmpfs
        if Task.isCancelled { throw EngineError(.system, "the build was cancelled") }
        let record = try await createContainer(ContainerCreateRequest(config: config, hostConfig: host), name: nil)
        let id = record.id
        do {
            let targets = request.mounts.map { mount -> String in
                switch mount {
                case .bind(_, let target, _), .tmpfs(let target, _): return target
                }
            }
            let outcome = try await runAndCommit(id, image: request.image, mountTargets: targets, epoch: request.sourceDateEpoch,
                                                 holder: holder, output: output)
            try await removeContainer(id, force: true, volumes: true)
            return outcome
        } catch {
            try? await removeContainer(id, force: true, volumes: true)
            throw error
        }
    }

    /// Files the engine bind-mounts into every container: their empty mount points are no change.
    static let runtimeMountPoints = ["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"]

    private func runAndCommit(_ id: String, image: ResolvedImage, mountTargets: [String], epoch: Int64?, holder: String,
                              output: @escaping @Sendable ([UInt8]) async -> Void) async throws(EngineError) -> BuildRunOutcome {
        try await startContainer(id)
        let follower = BuildLogFollower(path: configuration.logPath(id))
        let following = Task { await follower.run(emit: output) }
        // Started: "not-running" answers at once when the process already ended (an exit can be
        // recorded before the start is, with a finish time before the recorded start time).
        // A cancelled build (its client went away) kills the step's process; the wait then ends.
        let waited: ExitInfo
        do {
            waited = try await withTaskCancellationHandler {
                try await waitContainer(id, condition: "not-running", since: .now())
            } onCancel: {
                Task { try? await self.killContainer(id, signal: "KILL") }
            }
        } catch {
            follower.finish()
            await following.value
            throw (error as? EngineError) ?? EngineError.system("waiting for build container \(id.prefix(12)): \(error)")
        }
        follower.finish()
        await following.value
        if Task.isCancelled { throw EngineError(.system, "the build was cancelled") }
        let exit = waited
        guard exit.code == 0 else { return BuildRunOutcome(exitCode: exit.code, layer: nil) }
        let store = images
        do {
            let upper = try store.containerDirectory(id) + "/upper"
            let lowers = image.chainIDs.reversed().map { store.snapshots.fsPath(for: $0) }
            let layer = try await Blocking.run {
                BuildUpperCleaner(upper: upper, lowers: lowers).removeMountPoints(Self.runtimeMountPoints + mountTargets)
                return try store.writeLayer(fromUpper: upper, holder: holder, sourceDateEpoch: epoch)
            }
            return BuildRunOutcome(exitCode: 0, layer: BuildLayer(descriptor: layer.descriptor, diffID: layer.diffID))
        } catch {
            throw EngineError.system("committing the changes of build container \(id.prefix(12)): \(error)")
        }
    }
}
