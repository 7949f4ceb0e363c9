import Distribution
import DockerAPI
import Engine
import Foundation

/// `POST /images/create?fromImage=` (pull), `POST /images/{name}/push`, `POST /auth`: the registry
/// client behind docker's streamed JSON progress.
struct RegistryRoutes: Sendable {
    let engine: Engine

    /// A pull. Failures before the first progress line (a bad reference, an unknown manifest, refused
    /// credentials) are plain HTTP errors, as dockerd answers them; later ones end the stream with
    /// `{"errorDetail":…,"error":…}`.
    func pull(_ request: APIRequest, image: String, tag: String?) async throws -> APIResponse {
        let credentials = RegistryCredentials(registryAuthHeader: request.headers.first(name: "X-Registry-Auth"))
        let engine = self.engine
        let platform = request.string("platform")
        return try await Self.progressResponse { sink in
            _ = try await engine.pull(image, tag: tag, platform: platform, credentials: credentials, progress: sink)
        }
    }

    /// `POST /images/{name}/push?tag=`: every tag of the repository when `tag` is empty.
    func push(_ request: APIRequest) async throws -> APIResponse {
        let credentials = RegistryCredentials(registryAuthHeader: request.headers.first(name: "X-Registry-Auth"))
        let name = request.parameter("name")
        let tag = request.string("tag")
        _ = try engine.pushNames(name, tag: tag)
        let engine = self.engine
        return try await Self.progressResponse { sink in
            _ = try await engine.push(name, tag: tag, credentials: credentials, progress: sink)
        }
    }

    /// `POST /auth`: checks the credentials at their registry.
    func auth(_ request: APIRequest) async throws -> APIResponse {
        let credentials = try request.json(RegistryCredentials.self)
        let status = try await engine.login(credentials)
        return .json(AuthResponse(status: status, identityToken: ""))
    }

    /// docker's answer to `POST /auth`.
    struct AuthResponse: Encodable {
        var status: String
        var identityToken: String
        enum CodingKeys: String, CodingKey { case status = "Status", identityToken = "IdentityToken" }
    }

    /// Runs `work` with a sink of progress events and answers with them as docker's JSON-message
    /// stream, once the first event arrived (an error before it is the HTTP answer itself).
    static func progressResponse(_ work: @escaping @Sendable (@escaping ProgressSink) async throws -> Void) async throws -> APIResponse {
        let (stream, continuation) = AsyncStream<ProgressEvent>.makeStream()
        let task = Task { () -> EngineError? in
            defer { continuation.finish() }
            do {
                try await work { continuation.yield($0) }
                return nil
            } catch let error as EngineError {
                return error
            } catch {
                return EngineError(.system, "\(error)")
            }
        }
        let events = EventIterator(stream.makeAsyncIterator())
        guard let first = await events.next() else {
            if let error = await task.value { throw error }
            return .stream(.ok, contentType: "application/json") { _ in }
        }
        return .stream(.ok, contentType: "application/json") { writer in
            do {
                try await writer.writeJSON(message(first))
                while let event = await events.next() { try await writer.writeJSON(message(event)) }
                if let error = await task.value {
                    try await writer.writeJSON(JSONMessage(error: error.message, errorDetail: JSONMessage.ErrorDetail(message: error.message)))
                }
            } catch {
                task.cancel()
                throw error
            }
        }
    }

    /// A progress event as docker's JSON message (`progress` text rendered for 200 columns, as dockerd does).
    static func message(_ event: ProgressEvent) -> JSONMessage {
        var message = JSONMessage(status: event.status.isEmpty ? nil : event.status, id: event.id)
        if let detail = event.detail {
            message.progressDetail = JSONMessage.ProgressDetail(current: detail.current, total: detail.total)
            if let current = detail.current, let total = detail.total {
                let text = ProgressBar.render(current: current, total: total)
                message.progress = text.isEmpty ? nil : text
            }
        }
        if let pushed = event.pushed {
            message.aux = JSONMessage.Aux(tag: pushed.tag, digest: pushed.digest.string, size: pushed.size)
        }
        return message
    }
}

/// The one consumer of a progress stream, handed from the route to its response body.
final class EventIterator: @unchecked Sendable {
    private var iterator: AsyncStream<ProgressEvent>.AsyncIterator
    init(_ iterator: AsyncStream<ProgressEvent>.AsyncIterator) { self.iterator = iterator }
    func next() async -> ProgressEvent? { await iterator.next() }
}
