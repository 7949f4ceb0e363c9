import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OCI

/// The distribution API over one storage root: routing, authorisation, and the handlers
/// (in `Registry+Blobs`, `Registry+Uploads`, `Registry+Manifests`, `Registry+Listing`).
public struct Registry: Sendable {
    let storage: RegistryStorage
    let uploads: UploadManager
    let auth: RegistryAuth
    let lock: StoreLock
    let readOnly: Bool

    /// Builds the registry for a configuration (opening storage, reading htpasswd and token key).
    public init(config: RegistryConfig) throws {
        storage = try RegistryStorage(root: config.root)
        uploads = UploadManager(storage: storage, limit: config.maxUploads ?? 1000)
        lock = StoreLock(root: config.root)
        readOnly = config.readOnly
        let credentials = try config.htpasswd.map { path throws(ConfigError) in CredentialCache(htpasswd: try Htpasswd(path: path)) }
        let tokens = try config.token.map { token throws(ConfigError) in
            try TokenAuthority(keyPath: token.key, issuer: token.issuer, service: token.service ?? token.issuer,
                               lifetime: token.lifetime ?? 300)
        }
        auth = RegistryAuth(credentials: credentials, tokens: tokens, realm: config.token?.realm,
                            rules: config.access ?? AccessRule.defaults)
    }

    /// One request's connection, and what the request did (for the access log).
    final class Exchange: @unchecked Sendable {
        /// The connection, when the request came through the server (blob bodies and uploads use its event loop).
        let channel: (any Channel)?
        var user: String?
        var received: Int64 = 0

        init(channel: (any Channel)? = nil) {
            self.channel = channel
        }
    }

    /// Answers one request; every error becomes the spec's JSON error body.
    func respond(_ request: Request, exchange: Exchange) async -> Response {
        do {
            return try await route(request, exchange: exchange)
        } catch let error as RegistryError {
            return Self.errorResponse(error, head: request.method == .head)
        } catch {
            return Self.errorResponse(RegistryError(.unsupported, "internal error: \(error)", status: .internalServerError),
                                      head: request.method == .head)
        }
    }

    private func route(_ request: Request, exchange: Exchange) async throws -> Response {
        guard let route = Route(path: request.uri.path) else {
            throw RegistryError(.unsupported, "no such endpoint", detail: request.uri.path, status: .notFound)
        }
        let method = request.method
        if readOnly, route != .token, method != .get, method != .head {
            throw RegistryError(.unsupported, "the registry is in read-only mode", status: .methodNotAllowed)
        }
        if let name = route.repository, !RepositoryName.isValid(name) {
            throw RegistryError(.nameInvalid, "invalid repository name", detail: name)
        }
        switch route {
        case .token:
            let (response, user) = try await auth.issueToken(request)
            exchange.user = user
            return response
        case .base:
            exchange.user = try await auth.authorize(request, scopes: [])
            return Self.json(Data("{}".utf8), head: method == .head)
        case .catalog:
            try Self.require(method, [.get])
            exchange.user = try await auth.authorize(request, scopes: [TokenAccess(type: "registry", name: "catalog", actions: ["*"])])
            return try catalog(request)
        case .tags(let name):
            try Self.require(method, [.get])
            exchange.user = try await authorize(request, name, .pull)
            return try tags(request, name: name)
        case .referrers(let name, let digest):
            try Self.require(method, [.get])
            exchange.user = try await authorize(request, name, .pull)
            return try referrers(request, name: name, digest: digest)
        case .manifest(let name, let reference):
            switch method {
            case .get, .head:
                exchange.user = try await authorize(request, name, .pull)
                return try getManifest(name: name, reference: reference, head: method == .head)
            case .put:
                exchange.user = try await authorize(request, name, .pull, .push)
                return try await putManifest(request, name: name, reference: reference, exchange: exchange)
            case .delete:
                exchange.user = try await authorize(request, name, .delete)
                return try deleteManifest(name: name, reference: reference)
            default: throw Self.methodNotAllowed(method)
            }
        case .blob(let name, let digest):
            switch method {
            case .get, .head:
                exchange.user = try await authorize(request, name, .pull)
                return try getBlob(request, name: name, digest: digest, head: method == .head, channel: exchange.channel)
            case .delete:
                exchange.user = try await authorize(request, name, .delete)
                return try deleteBlob(name: name, digest: digest)
            default: throw Self.methodNotAllowed(method)
            }
        case .uploads(let name):
            try Self.require(method, [.post])
            exchange.user = try await authorize(request, name, .pull, .push)
            return try await startUpload(request, name: name, exchange: exchange)
        case .upload(let name, let id):
            exchange.user = try await authorize(request, name, .pull, .push)
            switch method {
            case .get: return try await uploadStatus(name: name, id: id)
            case .patch: return try await patchUpload(request, name: name, id: id, exchange: exchange)
            case .put: return try await finishUpload(request, name: name, id: id, exchange: exchange)
            case .delete: return try await cancelUpload(name: name, id: id)
            default: throw Self.methodNotAllowed(method)
            }
        }
    }

    /// Authorises actions on one repository.
    func authorize(_ request: Request, _ name: String, _ actions: RegistryAction...) async throws -> String? {
        try await auth.authorize(request, scopes: [TokenAccess(type: "repository", name: name, actions: actions.map(\.rawValue))])
    }

    // MARK: Response helpers

    static func require(_ method: HTTPRequest.Method, _ allowed: [HTTPRequest.Method]) throws {
        if !allowed.contains(method) && !(method == .head && allowed.contains(.get)) { throw methodNotAllowed(method) }
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method) -> RegistryError {
        RegistryError(.unsupported, "method not allowed", detail: method.rawValue, status: .methodNotAllowed)
    }

    /// A JSON answer with Content-Length (and no body for HEAD).
    static func json(_ data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                     contentType: String = "application/json", head: Bool = false) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An answer with no body.
    static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// The spec's error body for a failed request.
    static func errorResponse(_ error: RegistryError, head: Bool) -> Response {
        json(error.body, status: error.status, headers: error.headers, head: head)
    }

    /// Parses a digest from a path or query, as DIGEST_INVALID when malformed.
    static func parseDigest(_ text: String) throws -> Digest {
        do {
            return try Digest(parsing: text)
        } catch {
            throw RegistryError(.digestInvalid, "invalid digest", detail: text)
        }
    }
}

/// The Hummingbird responder: runs ``Registry`` and writes the access log line.
public struct RegistryResponder: HTTPResponder {
    /// The request context type.
    public typealias Context = RegistryRequestContext
    let registry: Registry
    let logger: Logger

    /// Creates the responder.
    public init(registry: Registry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let exchange = Registry.Exchange(channel: context.channel)
        var response = await registry.respond(request, exchange: exchange)
        // distribution sends this on every answer, 401s included; clients use it to recognise a v2 registry.
        response.headers[.dockerDistributionAPIVersion] = "registry/2.0"
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "bytes_in": .stringConvertible(exchange.received),
            "bytes_out": .string(response.headers[.contentLength] ?? "0"),
            "duration_ms": .string(String(format: "%.2f", milliseconds)),
            "user": .string(exchange.user ?? "-"),
        ])
        return response
    }
}
