import Engine
import NIOCore
import NIOHTTP1

/// The route table of the Engine API.
enum Routes {
    static func make(engine: Engine, group: EventLoopGroup) -> Router {
        let system = SystemRoutes(engine: engine)
        let containers = ContainerRoutes(engine: engine, group: group)
        let execs = ExecRoutes(engine: engine, group: group)
        let images = ImageRoutes(engine: engine)
        let volumes = VolumeRoutes(engine: engine)
        let networks = NetworkRoutes(engine: engine)
        let archives = ArchiveRoutes(engine: engine)
        let registry = RegistryRoutes(engine: engine)
        let builds = BuildRoutes(engine: engine)
        let contexts = BuildContextRoutes(engine: engine)
        return Router([
            (.GET, "/_ping", system.ping), (.HEAD, "/_ping", system.ping),
            (.GET, "/version", system.version),
            (.GET, "/info", system.info),
            (.GET, "/events", system.events),
            (.GET, "/system/df", system.diskUsage),
            (.POST, "/build", builds.build),
            (.POST, "/build/prune", builds.prune),
            (.POST, "/build/contexts/{key}/sync", contexts.sync),
            (.POST, "/build/contexts/{key}/build", contexts.build),

            (.GET, "/containers/json", containers.list),
            (.POST, "/containers/create", containers.create),
            (.POST, "/containers/prune", containers.prune),
            (.GET, "/containers/{id}/json", containers.inspect),
            (.POST, "/containers/{id}/start", containers.start),
            (.POST, "/containers/{id}/stop", containers.stop),
            (.POST, "/containers/{id}/restart", containers.restart),
            (.POST, "/containers/{id}/kill", containers.kill),
            (.POST, "/containers/{id}/pause", containers.pause),
            (.POST, "/containers/{id}/unpause", containers.unpause),
            (.POST, "/containers/{id}/wait", containers.wait),
            (.POST, "/containers/{id}/rename", containers.rename),
            (.POST, "/containers/{id}/resize", containers.resize),
            (.POST, "/containers/{id}/attach", containers.attach),
            (.GET, "/containers/{id}/logs", containers.logs),
            (.GET, "/containers/{id}/top", containers.top),
            (.GET, "/containers/{id}/stats", containers.stats),
            (.DELETE, "/containers/{id}", containers.remove),
            (.HEAD, "/containers/{id}/archive", archives.head),
            (.GET, "/containers/{id}/archive", archives.get),
            (.PUT, "/containers/{id}/archive", archives.put),
            (.GET, "/containers/{id}/export", archives.export),
            (.POST, "/commit", archives.commit),
            (.POST, "/containers/{id}/exec", execs.create),
            (.POST, "/exec/{id}/start", execs.start),
            (.POST, "/exec/{id}/resize", execs.resize),
            (.GET, "/exec/{id}/json", execs.inspect),

            (.GET, "/images/json", images.list),
            (.POST, "/images/load", images.load),
            (.GET, "/images/get", images.saveMany),
            (.POST, "/images/create", images.create),
            (.POST, "/images/prune", images.prune),
            (.GET, "/images/{name*}/json", images.inspect),
            (.GET, "/images/{name*}/history", images.history),
            (.GET, "/images/{name*}/get", images.saveOne),
            (.POST, "/images/{name*}/tag", images.tag),
            (.POST, "/images/{name*}/push", registry.push),
            (.POST, "/auth", registry.auth),
            (.DELETE, "/images/{name*}", images.remove),

            (.GET, "/volumes", volumes.list),
            (.POST, "/volumes/create", volumes.create),
            (.POST, "/volumes/prune", volumes.prune),
            (.GET, "/volumes/{name}", volumes.inspect),
            (.DELETE, "/volumes/{name}", volumes.remove),

            (.GET, "/networks", networks.list),
            (.POST, "/networks/create", networks.create),
            (.POST, "/networks/prune", networks.prune),
            (.GET, "/networks/{id}", networks.inspect),
            (.DELETE, "/networks/{id}", networks.remove),
            (.POST, "/networks/{id}/connect", networks.connect),
            (.POST, "/networks/{id}/disconnect", networks.disconnect),
        ])
    }
}
