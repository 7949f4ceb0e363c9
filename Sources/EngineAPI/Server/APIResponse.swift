import DockerAPI
import Engine
import Foundation
import NIOCore
import NIOHTTP1

/// What a route answers: a whole body, a stream written as it is produced, or a hijacked
/// connection (attach, exec) that becomes a raw byte pipe after the response head.
public enum APIResponse: Sendable {
    case body(HTTPResponseStatus, contentType: String?, [UInt8], headers: [(String, String)] = [])
    case stream(HTTPResponseStatus, contentType: String, headers: [(String, String)] = [], @Sendable (StreamWriter) async throws -> Void)
    case hijack(contentType: String, @Sendable (RawChannel) async -> Void)

    /// A JSON body; encoding failures are the server's fault.
    public static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            var data = [UInt8](try encoder.encode(value))
            data.append(0x0a)
            return .body(status, contentType: "application/json", data)
        } catch {
            return .error(EngineError(.system, "encoding the response: \(error)"))
        }
    }

    public static func empty(_ status: HTTPResponseStatus = .noContent) -> APIResponse {
        .body(status, contentType: nil, [])
    }

    public static func text(_ text: String, status: HTTPResponseStatus = .ok) -> APIResponse {
        .body(status, contentType: "text/plain; charset=utf-8", Array(text.utf8))
    }

    /// Docker's error body `{"message": …}` with the status of the error's kind.
    public static func error(_ error: EngineError) -> APIResponse {
        let status: HTTPResponseStatus
        switch error.kind {
        case .invalidParameter: status = .badRequest
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .notModified: return .body(.notModified, contentType: nil, [])
        case .forbidden: status = .forbidden
        case .unavailable: status = .serviceUnavailable
        case .unauthorized: status = .unauthorized
        case .system: status = .internalServerError
        }
        var body: [UInt8] = []
        if let data = try? JSONEncoder().encode(APIErrorResponse(message: error.message)) { body = [UInt8](data) + [0x0a] }
        return .body(status, contentType: "application/json", body)
    }
}

/// Writes the chunks of a streamed response (chunked transfer encoding).
public struct StreamWriter: Sendable {
    let channel: Channel
    let disconnect: DisconnectSignal

    init(channel: Channel, disconnect: DisconnectSignal = DisconnectSignal()) {
        self.channel = channel; self.disconnect = disconnect
    }

    /// Runs `body` in a task of its own that is cancelled when the client goes away (its
    /// connection closes or it shuts down its side), as docker cancels a request's context.
    public func cancellingOnDisconnect<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        disconnect.onDisconnect { task.cancel() }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Writes and flushes `bytes`; throws once the client has gone.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let buffer = channel.allocator.buffer(bytes: bytes)
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)))
    }

    public func write(_ text: String) async throws { try await write(Array(text.utf8)) }

    /// One JSON object followed by a newline (JSON-lines streams: events, stats, progress).
    public func writeJSON<T: Encodable>(_ value: T) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        try await write([UInt8](try encoder.encode(value)) + [0x0a])
    }

    /// True while the client is connected.
    public var isActive: Bool { channel.isActive }
}
