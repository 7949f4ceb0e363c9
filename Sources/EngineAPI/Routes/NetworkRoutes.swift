import DockerAPI
import Engine
import Foundation
import Networking

/// `/networks`: bridge networks through CNI, plus the built-in host and none.
struct NetworkRoutes: Sendable {
    let engine: Engine

    func view(_ network: NetworkDefinition) async -> NetworkResource {
        var members: [String: NetworkContainer] = [:]
        for (record, endpoint) in await engine.members(ofNetwork: network.id) where endpoint.isAttached {
            members[record.id] = NetworkContainer(name: record.name, endpointID: endpoint.endpointID, macAddress: endpoint.macAddress,
                                                  ipv4Address: "\(endpoint.ipAddress)/\(endpoint.prefixLength)")
        }
        let ipam = network.isBuiltinWithoutBridge
            ? IPAM(driver: "default", config: [])
            : IPAM(driver: "default", config: [IPAMConfig(subnet: network.subnet, ipRange: network.ipRange, gateway: network.gateway)])
        return NetworkResource(name: network.name, id: network.id, created: network.created, driver: network.driver, ipam: ipam,
                               internal: network.isInternal, attachable: network.attachable, containers: members,
                               options: network.options, labels: network.labels)
    }

    func list(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        var networks = await engine.allNetworks().sorted { $0.name < $1.name }
        for (key, values) in filters where !values.isEmpty {
            switch key {
            case "name": networks = networks.filter { n in values.contains { n.name.contains($0) } }
            case "id": networks = networks.filter { n in values.contains { n.id.hasPrefix($0) } }
            case "driver": networks = networks.filter { values.contains($0.driver) }
            case "label": networks = networks.filter { n in values.allSatisfy { ContainerFilter.labelMatches(n.labels, $0) } }
            case "scope": networks = networks.filter { _ in values.contains("local") }
            case "type":
                networks = networks.filter { n in
                    let builtin = n.isDefault || n.isBuiltinWithoutBridge
                    return values.contains(builtin ? "builtin" : "custom")
                }
            case "dangling":
                var kept: [NetworkDefinition] = []
                let want = values.contains { ["1", "true"].contains($0) }
                for n in networks where !(n.isDefault || n.isBuiltinWithoutBridge) || !want {
                    let unused = await engine.members(ofNetwork: n.id).isEmpty
                    if unused == want { kept.append(n) }
                }
                networks = kept
            default: throw EngineError(.invalidParameter, "invalid filter '\(key)'")
            }
        }
        var views: [NetworkResource] = []
        for network in networks { views.append(await view(network)) }
        return .json(views)
    }

    func inspect(_ request: APIRequest) async throws -> APIResponse {
        .json(await view(try await engine.network(request.parameter("id"))))
    }

    func create(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(NetworkCreateRequest.self)
        let network = try await engine.createNetwork(body)
        return .json(NetworkCreateResponse(id: network.id), status: .created)
    }

    func remove(_ request: APIRequest) async throws -> APIResponse {
        try await engine.removeNetwork(request.parameter("id"))
        return .empty()
    }

    func connect(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(NetworkConnectRequest.self)
        try await engine.connect(network: request.parameter("id"), container: body.container,
                                 aliases: body.endpointConfig?.aliases ?? [], ip: body.endpointConfig?.ipamConfig?.ipv4Address)
        return .empty(.ok)
    }

    func disconnect(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(NetworkDisconnectRequest.self)
        try await engine.disconnect(network: request.parameter("id"), container: body.container, force: body.force == true)
        return .empty(.ok)
    }

    func prune(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let removed = await engine.pruneNetworks(labels: filters["label"] ?? [])
        return .json(NetworkPruneResponse(networksDeleted: removed))
    }
}
