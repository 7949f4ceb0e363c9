import DockerAPI
import Foundation
import ImageStore

extension Engine {
    /// `DELETE /containers/{id}`: a running container only with `force` (killed first); `volumes`
    /// also removes its anonymous volumes. Its root, bundle and record go.
    public func removeContainer(_ reference: String, force: Bool, volumes removeVolumes: Bool) async throws(EngineError) {
        var record = try lookup(reference)
        let id = record.id
        if record.state.status == .removing { throw EngineError(.conflict, "removal of container \(reference) is already in progress") }
        if starting.contains(id) { throw EngineError(.conflict, "container \(reference) is starting; try again when it has started") }
        if record.isRunning {
            guard force else {
                let state = record.state.status == .paused ? "paused" : "running"
                throw EngineError(.conflict, "cannot remove container \"/\(record.name)\": container is \(state): stop the container before removing or force remove")
            }
            stopping.insert(id)
            if record.state.status == .restarting {
                record.state.status = .exited
                try commit(record)
            } else {
                if record.state.status == .paused { try? await freeze(id, pause: false) }
                try? await sendSignal(id, SIGKILL)
                _ = await waitForExit(id, timeoutNanoseconds: 10_000_000_000)
            }
            stopping.remove(id)
            guard let current = containers[id] else { return }
            record = current
        }
        record.state.status = .removing
        containers[id] = record
        var clock = StepClock()
        let bundle = configuration.bundle(id)
        let calls = RuntimeCalls(configuration: configuration)
        let alreadyClean = record.state.hasBeenStarted && !FileManager.default.fileExists(atPath: configuration.runtimeRoot + "/" + id)
        // The files go on other threads while the row is deleted here.
        async let rootRemoved: Void = Blocking.run { [images] in
            if !alreadyClean { calls.delete(id) }
            try? ContainerRootFS.unmount(bundle + "/rootfs", detachIfBusy: true)
            try? images.unmountRootFS(containerID: id, target: bundle + "/rootfs")
            try? FileManager.default.removeItem(atPath: bundle)
        }
        async let directoriesRemoved: Void = Blocking.run { [configuration] in
            try? FileManager.default.removeItem(atPath: configuration.containerDirectory(id))
            try? FileManager.default.removeItem(atPath: configuration.shimDirectory(id))
        }
        let deleted = Result { () throws(EngineError) in
            do { try database.delete(containerID: id) } catch {
                throw EngineError.system("removing container \(record.shortID): \(error)")
            }
        }
        _ = await (rootRemoved, directoriesRemoved)
        try deleted.get()
        containers[id] = nil
        if removeVolumes {
            for name in record.anonymousVolumes { try? removeVolume(name) }
        }
        publish(record, "destroy")
        clock.mark("removed")
        logger.debug("removed \(record.shortID): \(clock.report)")
        let info = ExitInfo(code: record.state.exitCode)
        recentlyRemoved = recentlyRemoved.filter { Timestamp.now().nanoseconds - $0.value.1.nanoseconds < 60_000_000_000 }
        recentlyRemoved[id] = (info, .now())
        for waiter in removalWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: info) }
        for waiter in exitWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: info) }
    }

    /// `POST /containers/{id}/rename?name=`.
    public func renameContainer(_ reference: String, to newName: String) throws(EngineError) {
        var record = try lookup(reference)
        let name = try ContainerNames.validate(newName)
        if name == record.name { throw EngineError(.conflict, "Renaming a container with the same name as its current name") }
        if let other = containers.values.first(where: { $0.name == name }) {
            throw EngineError(.conflict, "Conflict. The container name \"/\(name)\" is already in use by container \"\(other.id)\". You have to remove (or rename) that container to be able to reuse that name.")
        }
        let old = record.name
        record.name = name
        try commit(record)
        if record.isRunning { refreshHosts(attachedNetworkIDs(record)) }
        publish(record, "rename", extra: ["oldName": "/" + old])
    }

    /// `POST /containers/prune`: every stopped container.
    public func pruneContainers(filter: (ContainerRecord) -> Bool) async -> (removed: [String], space: Int64) {
        var removed: [String] = []
        var space: Int64 = 0
        for record in containers.values where !record.isRunning && filter(record) {
            let upper = (try? images.containerDirectory(record.id)).map { DiskUsage.size(of: $0 + "/upper") } ?? 0
            if (try? await removeContainer(record.id, force: false, volumes: false)) != nil {
                removed.append(record.id)
                space += upper
            }
        }
        return (removed, space)
    }
}
