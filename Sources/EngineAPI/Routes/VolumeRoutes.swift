import DockerAPI
import Engine
import Foundation

/// `/volumes`: the local driver's named volumes.
struct VolumeRoutes: Sendable {
    let engine: Engine

    func view(_ record: VolumeRecord) -> Volume {
        Volume(name: record.name, driver: "local", mountpoint: engine.volumePath(record.name),
               createdAt: String(record.created.rfc3339.prefix(19)) + "Z", labels: record.labels,
               scope: "local", options: record.options)
    }

    func list(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        var volumes = await engine.allVolumes().sorted { $0.name < $1.name }
        for (key, values) in filters where !values.isEmpty {
            switch key {
            case "name": volumes = volumes.filter { v in values.contains { v.name.contains($0) } }
            case "label": volumes = volumes.filter { v in values.allSatisfy { ContainerFilter.labelMatches(v.labels, $0) } }
            case "driver": volumes = volumes.filter { _ in values.contains("local") }
            case "dangling":
                var kept: [VolumeRecord] = []
                for v in volumes {
                    let used = await !engine.containersUsing(volume: v.name).isEmpty
                    if values.contains(where: { ["1", "true"].contains($0) }) ? !used : used { kept.append(v) }
                }
                volumes = kept
            default: throw EngineError(.invalidParameter, "invalid filter '\(key)'")
            }
        }
        return .json(VolumeListResponse(volumes: volumes.map(view), warnings: []))
    }

    func create(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(VolumeCreateOptions.self, empty: VolumeCreateOptions())
        let record = try await engine.createVolume(name: body.name, labels: body.labels ?? [:], driver: body.driver, options: body.driverOpts ?? [:])
        return .json(view(record), status: .created)
    }

    func inspect(_ request: APIRequest) async throws -> APIResponse {
        .json(view(try await engine.volume(request.parameter("name"))))
    }

    func remove(_ request: APIRequest) async throws -> APIResponse {
        try await engine.removeVolume(request.parameter("name"), force: request.bool("force"))
        return .empty()
    }

    func prune(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let all = filters["all"]?.contains { ["1", "true"].contains($0) } ?? false
        let labels = filters["label"] ?? []
        let result = await engine.pruneVolumes(all: all) { labelsOf in labels.allSatisfy { ContainerFilter.labelMatches(labelsOf, $0) } }
        return .json(VolumePruneResponse(volumesDeleted: result.removed, spaceReclaimed: result.space))
    }
}
