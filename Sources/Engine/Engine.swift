import Distribution
import DockerAPI
import Foundation
import ImageStore
import Logging
import Networking
import OCI

/// The daemon's domain: containers, execs, volumes and images, and the shims that run them.
/// One actor owns every record; each change is written to SQLite before it is acknowledged,
/// and anything slow (mounts, the runtime, shims) runs outside through `Blocking`.
public actor Engine {
    public nonisolated let configuration: EngineConfiguration
    public nonisolated let images: ImageStore
    public nonisolated let events = EventBus()
    /// The registry client (pull, push, login).
    public nonisolated let registry: RegistryService
    let database: EngineDatabase
    /// The build cache (its own table in `berth.db`).
    public nonisolated let buildCache: BuildCacheStore
    /// The build contexts `berth build` keeps in sync (`root/build/contexts`).
    public nonisolated let buildContexts: BuildContextStore
    let logger: Logger
    let watcher = ShimWatcher()

    var containers: [String: ContainerRecord] = [:]
    var volumes: [String: VolumeRecord] = [:]
    var execs: [String: ExecRecord] = [:]
    var execWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Shim pids of shims this daemon started (its children, to reap).
    var shimChildren: [String: pid_t] = [:]
    /// Waiters for a container's next exit or removal.
    var exitWaiters: [String: [CheckedContinuation<ExitInfo, Never>]] = [:]
    var removalWaiters: [String: [CheckedContinuation<ExitInfo, Never>]] = [:]
    /// Attach requests waiting for the container's shim to exist.
    var pendingAttaches: [String: [CheckedContinuation<AttachTarget?, Never>]] = [:]
    var attachBarriers: [String: AttachBarrier] = [:]
    /// Containers removed lately: a `wait?condition=removed` that arrives late still gets the code.
    var recentlyRemoved: [String: (ExitInfo, Timestamp)] = [:]
    /// Containers whose stop is being forced (stop/kill/rm -f): the restart policy does not apply.
    var stopping: Set<String> = []
    /// Containers whose start is in progress.
    var starting: Set<String> = []
    /// Containers between "shim ready" and "recorded as running": an exit seen then waits here.
    var launching: [String: ShimWatcher.Outcome?] = [:]
    /// Networks by ID (bridge, host, none and the user's).
    var networks: [String: NetworkDefinition] = [:]
    /// Host ports held for each running container's published ports.
    var portReservations: [String: [HostPortReservation]] = [:]

    /// How a container ended.
    public struct ExitInfo: Sendable { public var code: Int; public var error: String? }

    /// Opens the engine's state under `configuration.root` and re-attaches to the shims still
    /// running (live restore); containers whose shim is gone are marked exited.
    public init(configuration: EngineConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        for dir in [configuration.root, configuration.root + "/engine/containers", configuration.volumesDirectory,
                    configuration.execRoot, configuration.execRoot + "/shims", configuration.runtimeRoot] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        images = try ImageStore(root: configuration.root)
        registry = RegistryService(configuration: configuration.registries, root: configuration.root)
        database = try EngineDatabase(pool: images.metadata.database)
        buildCache = try BuildCacheStore(pool: images.metadata.database)
        buildContexts = BuildContextStore(directory: configuration.root + "/build/contexts")
        images.cleanBuildLeftovers()
        for record in try database.allContainers() { containers[record.id] = record }
        for volume in try database.allVolumes() { volumes[volume.name] = volume }
    }

    /// Finds a container by full ID, name, or unique ID prefix (docker's order).
    func lookup(_ reference: String) throws(EngineError) -> ContainerRecord {
        if let record = containers[reference] { return record }
        let name = reference.hasPrefix("/") ? String(reference.dropFirst()) : reference
        if let record = containers.values.first(where: { $0.name == name }) { return record }
        if !reference.isEmpty {
            let matches = containers.values.filter { $0.id.hasPrefix(reference) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { throw EngineError(.invalidParameter, "multiple IDs found with provided prefix: \(reference)") }
        }
        throw EngineError.noSuchContainer(reference)
    }

    /// Stores `record` (SQLite first, then memory).
    func commit(_ record: ContainerRecord) throws(EngineError) {
        do { try database.save(record) } catch {
            throw EngineError.system("saving container \(record.shortID): \(error)")
        }
        containers[record.id] = record
    }

    func publish(_ record: ContainerRecord, _ action: String, extra: [String: String] = [:]) {
        var attributes = record.config.labels ?? [:]
        attributes["name"] = record.name
        attributes["image"] = record.imageReference
        for (k, v) in extra { attributes[k] = v }
        let event = EngineEvent(type: "container", action: action, actorID: record.id, attributes: attributes)
        Task { await events.publish(event) }
    }

    func publish(type: String, action: String, id: String, attributes: [String: String] = [:]) {
        let event = EngineEvent(type: type, action: action, actorID: id, attributes: attributes)
        Task { await events.publish(event) }
    }

    /// Every container record (for list views).
    public func allContainers() -> [ContainerRecord] { Array(containers.values) }

    /// One container record.
    public func container(_ reference: String) throws(EngineError) -> ContainerRecord { try lookup(reference) }
}
