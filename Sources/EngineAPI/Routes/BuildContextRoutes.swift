import DockerAPI
import Engine
import Foundation

/// Berth's incremental context transfer (docs/builder.md): `POST /build/contexts/{key}/sync`
/// answers which files the synced copy of `key` lacks; `POST /build/contexts/{key}/build` applies
/// the files sent and builds from the synced copy, answering as `POST /build` does — or 409 with
/// `{"need":[…]}` when the copy lacks files the upload did not carry.
struct BuildContextRoutes: Sendable {
    let engine: Engine

    func sync(_ request: APIRequest) async throws -> APIResponse {
        let listing = try request.json(BuildContextListing.self)
        return .json(BuildContextNeeds(need: try engine.buildContextNeeds(key: request.parameter("key"), listing: listing)))
    }

    func build(_ request: APIRequest) async throws -> APIResponse {
        let options = try BuildRoutes.options(request)
        let body: BuildContextBody
        switch request.body {
        case .none: throw EngineError(.invalidParameter, "the upload is empty: it starts with a JSON line")
        case .bytes(let bytes): body = .bytes(bytes)
        case .file(let path): body = .file(path)
        }
        // The synced view is made before the stream starts: files the copy lacks are a plain 409.
        let synced: SyncedBuildContext
        switch try await engine.prepareSyncedContext(key: request.parameter("key"), body: body) {
        case .ready(let ready): synced = ready
        case .needs(let paths): return .json(BuildContextNeeds(need: paths), status: .conflict)
        }
        let buildRequest = BuildRequest(synced: synced, dockerfilePath: request.string("dockerfile") ?? "Dockerfile", options: options,
                                        registryAuths: try BuildRoutes.registryAuths(request))
        return BuildRoutes.stream(engine: engine, buildRequest, quiet: request.bool("q")) {}
    }
}
