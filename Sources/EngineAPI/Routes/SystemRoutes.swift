import DockerAPI
import Engine
import Foundation
import Glibc

/// `/_ping`, `/version`, `/info`, `/events`, `/system/df`.
struct SystemRoutes: Sendable {
    let engine: Engine

    func ping(_ request: APIRequest) async throws -> APIResponse {
        .body(.ok, contentType: "text/plain; charset=utf-8", request.method == .HEAD ? [] : Array("OK".utf8),
              headers: [("Cache-Control", "no-cache, no-store, must-revalidate"), ("Pragma", "no-cache"), ("Builder-Version", "1")])
    }

    static func kernelVersion() -> String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    func version(_ request: APIRequest) async throws -> APIResponse {
        let kernel = Self.kernelVersion()
        let details = ["ApiVersion": Router.apiVersion, "MinAPIVersion": Router.minimumAPIVersion, "Os": "linux",
                       "Arch": "amd64", "KernelVersion": kernel, "GitCommit": "berth", "GoVersion": "swift6"]
        return .json(SystemVersion(
            platform: .init(name: "Berth Engine"),
            components: [.init(name: "Engine", version: Router.engineVersion, details: details),
                         .init(name: "berth-runtime", version: Router.engineVersion, details: ["GitCommit": "berth"])],
            version: Router.engineVersion, apiVersion: Router.apiVersion, minAPIVersion: Router.minimumAPIVersion,
            gitCommit: "berth", goVersion: "swift6", os: "linux", arch: "amd64", kernelVersion: kernel, buildTime: ""))
    }

    func info(_ request: APIRequest) async throws -> APIResponse {
        let containers = await engine.allContainers()
        let images = (try? await engine.imageViews(includeDangling: true)) ?? []
        var info = SystemInfo()
        info.id = "berth"
        info.containers = containers.count
        info.containersRunning = containers.filter { $0.state.status == .running }.count
        info.containersPaused = containers.filter { $0.state.status == .paused }.count
        info.containersStopped = containers.count - info.containersRunning! - info.containersPaused!
        info.images = images.count
        info.driver = "overlay2"
        info.driverStatus = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"]]
        info.dockerRootDir = engine.configuration.root
        info.plugins = .init(volume: ["local"], network: ["host", "none"], authorization: nil, log: ["json-file"])
        info.memoryLimit = true; info.swapLimit = true; info.cpuCfsPeriod = true; info.cpuCfsQuota = true
        info.cpuShares = true; info.cpuSet = true; info.pidsLimit = true; info.oomKillDisable = false
        info.debug = false
        info.nFd = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        info.nGoroutines = 0
        info.systemTime = Timestamp.now().rfc3339
        info.loggingDriver = "json-file"
        info.cgroupDriver = "cgroupfs"
        info.cgroupVersion = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? "2" : "1"
        info.nEventsListener = 0
        info.kernelVersion = Self.kernelVersion()
        info.operatingSystem = Self.osName()
        info.osType = "linux"
        info.architecture = "x86_64"
        info.ncpu = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        info.memTotal = Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE)))
        info.indexServerAddress = "https://index.docker.io/v1/"
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        info.name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        info.labels = []
        info.experimentalBuild = false
        info.serverVersion = Router.engineVersion
        info.runtimes = ["berth-runtime": .init(path: engine.configuration.runtimePath)]
        info.defaultRuntime = "berth-runtime"
        info.liveRestoreEnabled = true
        info.isolation = ""
        info.initBinary = engine.configuration.initPath ?? ""
        info.securityOptions = ["name=seccomp,profile=builtin"]
        info.warnings = []
        return .json(info)
    }

    static func osName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "Linux" }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst(12)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "Linux"
    }

    func events(_ request: APIRequest) async throws -> APIResponse {
        let since = try request.string("since").map { text throws(EngineError) -> Timestamp in
            guard let t = Timestamp.parse(text) else { throw EngineError(.invalidParameter, "invalid value for since: \(text)") }
            return t
        }
        let until = try request.string("until").map { text throws(EngineError) -> Timestamp in
            guard let t = Timestamp.parse(text) else { throw EngineError(.invalidParameter, "invalid value for until: \(text)") }
            return t
        }
        let filters = try request.filters()
        let bus = engine.events
        return .stream(.ok, contentType: "application/json") { writer in
            let (past, live) = await bus.subscribe(since: since)
            for event in past where EventFilter.matches(event, filters) {
                if let until, event.time > until { return }
                try await writer.writeJSON(EventFilter.message(event))
            }
            if let until, until <= Timestamp.now() { return }
            let deadline = until
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in live where EventFilter.matches(event, filters) {
                        if let deadline, event.time > deadline { return }
                        try await writer.writeJSON(EventFilter.message(event))
                    }
                }
                group.addTask {
                    // End when the client goes away or `until` passes.
                    while writer.isActive {
                        if let deadline, Timestamp.now() > deadline { return }
                        try await Task.sleep(nanoseconds: 200_000_000)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    func diskUsage(_ request: APIRequest) async throws -> APIResponse {
        let views = (try? await engine.imageViews()) ?? []
        let containers = await engine.allContainers()
        let images = views.map { v in
            ImageSummary(id: v.id, repoTags: v.names.map(Engine.familiarName), created: v.created.seconds, size: v.size,
                         labels: v.labels, containers: Int64(containers.filter { $0.imageID == v.id }.count))
        }
        var summaries: [ContainerSummary] = []
        for c in containers {
            var s = ContainerViews.summary(c, network: await engine.networkSettings(c))
            s.sizeRw = await engine.containerSize(c.id)
            summaries.append(s)
        }
        var volumes: [Volume] = []
        for v in await engine.allVolumes() {
            var volume = Volume(name: v.name, driver: "local", mountpoint: engine.volumePath(v.name), labels: v.labels, scope: "local")
            let users = await engine.containersUsing(volume: v.name).count
            volume.usageData = .init(size: await engine.volumeSize(v.name), refCount: Int64(users))
            volumes.append(volume)
        }
        return .json(SystemDataUsage(layersSize: views.reduce(0) { $0 + $1.size }, images: images, containers: summaries,
                                     volumes: volumes, buildCache: []))
    }
}

/// `docker events --filter` and the wire form of an event.
enum EventFilter {
    static func matches(_ event: EngineEvent, _ filters: [String: [String]]) -> Bool {
        for (key, values) in filters where !values.isEmpty {
            let ok: Bool
            switch key {
            case "type": ok = values.contains(event.type)
            case "event", "action": ok = values.contains { event.action == $0 || event.action.hasPrefix($0 + ":") }
            case "container": ok = event.type == "container" && values.contains { event.actorID.hasPrefix($0) || event.attributes["name"] == $0 }
            case "image": ok = values.contains { event.attributes["image"] == $0 || event.actorID == $0 || event.attributes["name"] == $0 }
            case "volume": ok = event.type == "volume" && values.contains(event.actorID)
            case "label": ok = values.allSatisfy { ContainerFilter.labelMatches(event.attributes, $0) }
            default: ok = true
            }
            if !ok { return false }
        }
        return true
    }

    static func message(_ event: EngineEvent) -> EventMessage {
        EventMessage(type: event.type, action: event.action, actor: .init(id: event.actorID, attributes: event.attributes),
                     scope: "local", time: event.time.seconds, timeNano: event.time.nanoseconds,
                     status: event.type == "container" || event.type == "image" ? event.action : nil,
                     id: event.type == "container" || event.type == "image" ? event.actorID : nil,
                     from: event.type == "container" ? event.attributes["image"] : nil)
    }
}
