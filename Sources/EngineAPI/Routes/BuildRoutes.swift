import Build
import Distribution
import DockerAPI
import Engine
import Foundation
import OCI

/// `POST /build` (docker's legacy builder API: a tar context in, JSON messages out) and
/// `POST /build/prune`.
struct BuildRoutes: Sendable {
    let engine: Engine

    func build(_ request: APIRequest) async throws -> APIResponse {
        let options = try Self.options(request)
        let auths = try Self.registryAuths(request)
        let archive = try keepBody(request)
        let buildRequest = BuildRequest(contextArchive: archive, dockerfilePath: request.string("dockerfile") ?? "Dockerfile", options: options,
                                        registryAuths: auths)
        return Self.stream(engine: engine, buildRequest, quiet: request.bool("q")) {
            if let archive { try? FileManager.default.removeItem(atPath: archive) }
        }
    }

    /// Credentials for base-image pulls, as the docker CLI sends them (`X-Registry-Config`).
    static func registryAuths(_ request: APIRequest) throws -> RegistryAuthConfigs {
        do {
            return try RegistryAuthConfigs(header: request.headers.first(name: "X-Registry-Config"))
        } catch {
            throw EngineError(.invalidParameter, error.description)
        }
    }

    /// docker's `/build` query as the executor's options (the Dockerfile text is filled in later).
    static func options(_ request: APIRequest) throws -> BuildOptions {
        let tags = (request.query["t"] ?? []).filter { !$0.isEmpty }
        for tag in tags {
            guard (try? ImageReference(parsing: tag)) != nil else {
                throw EngineError(.invalidParameter, "invalid reference format: \(tag)")
            }
        }
        let buildArgs = try jsonMap(request, "buildargs")
        let labels = try jsonMap(request, "labels")
        let network = request.string("networkmode").map { ["", "default", "bridge"].contains($0) ? "default" : $0 } ?? "default"
        guard ["default", "none", "host"].contains(network) else {
            throw EngineError(.invalidParameter, "network mode \(network) is not supported for builds: use default, none or host")
        }
        if let platform = request.string("platform"), !platform.isEmpty, !platform.hasPrefix("linux") {
            throw EngineError(.invalidParameter, "\"\(platform)\": this daemon builds linux images only")
        }
        let epoch = buildArgs["SOURCE_DATE_EPOCH"].flatMap { Int64($0) }
        return BuildOptions(
            dockerfile: "", dockerfileName: request.string("dockerfile") ?? "Dockerfile", tags: tags, buildArgs: buildArgs,
            labels: labels, target: request.string("target").flatMap { $0.isEmpty ? nil : $0 }, noCache: request.bool("nocache"),
            pull: request.bool("pull"), network: network, sourceDateEpoch: epoch)
    }

    /// The build's JSON message stream: steps and output, then the image ID (and with `q` only
    /// that); errors as docker's `errorDetail`. The build is cancelled when the client goes away.
    /// `cleanup` runs when the build is over.
    static func stream(engine: Engine, _ buildRequest: BuildRequest, quiet: Bool, cleanup: @escaping @Sendable () -> Void) -> APIResponse {
        let tags = buildRequest.options.tags
        return .stream(.ok, contentType: "application/json") { writer in
            defer { cleanup() }
            let sink = MessageSink(writer: writer, quiet: quiet)
            do {
                let image = try await writer.cancellingOnDisconnect {
                    try await engine.build(buildRequest) { event in await sink.send(event) }
                }
                let id = image.id.string
                if quiet {
                    try await writer.writeJSON(JSONMessage(stream: id + "\n"))
                } else {
                    try await writer.writeJSON(JSONMessage(stream: "Successfully built \(id.dropFirst(7).prefix(12))\n"))
                    for tag in tags {
                        let name = Engine.familiarName((try? ImageReference(parsing: tag))?.string ?? tag)
                        try await writer.writeJSON(JSONMessage(stream: "Successfully tagged \(name)\n"))
                    }
                }
            } catch {
                let message = (error as? EngineError)?.message ?? "\(error)"
                try await writer.writeJSON(JSONMessage(error: message, errorDetail: JSONMessage.ErrorDetail(message: message)))
            }
        }
    }

    func prune(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let age = filters["until"]?.first.flatMap { Timestamp.parseDuration($0) }.map { Double($0) / 1e9 }
        let result = try await engine.pruneBuildCache(olderThan: request.bool("all") ? nil : age)
        return .json(BuildPruneResponse(cachesDeleted: result.removed, spaceReclaimed: result.space))
    }

    /// The body moved to a file of the build's own (the server removes its spool file when the
    /// handler returns, before the stream runs).
    private func keepBody(_ request: APIRequest) throws -> String? {
        let path = engine.configuration.execRoot + "/tmp/build-context-" + UUID().uuidString + ".tar"
        switch request.body {
        case .none:
            return nil
        case .bytes(let bytes):
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw EngineError(.system, "cannot store the build context in \(path)")
            }
        case .file(let spooled):
            guard rename(spooled, path) == 0 else { throw EngineError(.system, "cannot keep the build context \(spooled)") }
        }
        return path
    }

    private static func jsonMap(_ request: APIRequest, _ name: String) throws(EngineError) -> [String: String] {
        guard let text = request.string(name), !text.isEmpty else { return [:] }
        guard let object = try? JSONDecoder().decode([String: String?].self, from: Data(text.utf8)) else {
            throw EngineError(.invalidParameter, "\(name): not a JSON object of strings: \(text)")
        }
        return object.compactMapValues { $0 }
    }
}

/// Turns build progress into docker's JSON messages, one write at a time.
actor MessageSink {
    let writer: StreamWriter
    let quiet: Bool

    init(writer: StreamWriter, quiet: Bool) { self.writer = writer; self.quiet = quiet }

    func send(_ event: BuildProgress) async {
        let message: JSONMessage
        switch event {
        case .stream(let text):
            if quiet { return }
            message = JSONMessage(stream: text)
        case .step(let mark, let text):
            if quiet { return }
            message = JSONMessage(stream: text, berthStep: BuildStepStatus(step: mark.number, total: mark.total, phase: mark.phase.rawValue,
                                                                           name: mark.name))
        case .output(let bytes):
            if quiet { return }
            message = JSONMessage(stream: String(decoding: bytes, as: UTF8.self))
        case .pull(let pull):
            if quiet { return }
            message = RegistryRoutes.message(ProgressEvent(id: pull.id, status: pull.status,
                                                           detail: pull.hasDetail ? ProgressEvent.Detail(current: pull.current, total: pull.total) : nil))
        case .imageID(let id):
            message = JSONMessage(aux: JSONMessage.Aux(id: id))
        }
        try? await writer.writeJSON(message)
    }
}
