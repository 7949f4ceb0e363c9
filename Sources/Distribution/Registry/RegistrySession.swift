import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Requests to one registry endpoint for one set of scopes with one set of credentials: adds the
/// `Authorization` the endpoint's challenge asks for (Basic, or a Bearer token fetched from the
/// challenge's realm, anonymous when there are no credentials) and answers a 401 by reading the new
/// challenge and trying once more.
public struct RegistrySession: Sendable {
    let transport: RegistryTransport
    /// Where requests go (its scheme may change to http for an insecure registry).
    public private(set) var endpoint: RegistryEndpoint
    /// The credentials used for Basic auth and at the token server.
    public let credentials: RegistryCredentials
    /// Token scopes (`repository:library/busybox:pull`).
    public let scopes: [String]

    /// A session on `endpoint`.
    public init(transport: RegistryTransport, endpoint: RegistryEndpoint, credentials: RegistryCredentials, scopes: [String]) {
        self.transport = transport
        self.endpoint = endpoint
        self.credentials = credentials
        self.scopes = scopes
    }

    /// The same session asking for `scope` too (a mount needs `pull` on the source repository).
    public func adding(scope: String) -> RegistrySession {
        RegistrySession(transport: transport, endpoint: endpoint, credentials: credentials,
                        scopes: scopes.contains(scope) ? scopes : scopes + [scope])
    }

    /// The `repository:<path>:<actions>` scope.
    public static func repositoryScope(_ path: String, actions: String) -> String {
        "repository:\(path):\(actions)"
    }

    // MARK: Connecting

    /// Settles the scheme and learns the endpoint's challenge from `GET /v2/`; returns that status.
    ///
    /// An insecure registry is asked over plain HTTP first, then over TLS without verification (the
    /// answer is remembered per host). dockerd tries TLS first, but a TLS hello sent to a plain HTTP
    /// server waits for a line end that never comes until the connect timeout; a plain request sent
    /// to a TLS server fails at once.
    @discardableResult
    public mutating func connect() async throws(RegistryError) -> Int {
        if endpoint.isInsecure, endpoint.scheme == "https" {
            if let known = await transport.auth.scheme(for: endpoint.host) {
                endpoint.scheme = known
            } else {
                endpoint.scheme = "http"
                if let status = try? await ping() {
                    await transport.auth.setScheme("http", for: endpoint.host)
                    return status
                }
                endpoint.scheme = "https"
                let status = try await ping()
                await transport.auth.setScheme("https", for: endpoint.host)
                return status
            }
        }
        return try await ping()
    }

    /// `GET /v2/`: 200 (open) or 401 (its challenge is recorded); anything else is an error.
    func ping() async throws(RegistryError) -> Int {
        let url = endpoint.baseURL + "/v2/"
        let response = try await execute(method: .GET, url: url, headers: [], authorization: nil, body: nil)
        let status = Int(response.status.code)
        if status == 401 {
            await recordChallenge(response.headers)
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        guard status == 200 || status == 401 else {
            throw RegistryError.unexpectedStatus(method: "GET", url: url, status: status, entries: [], body: "")
        }
        return status
    }

    // MARK: Requests

    /// Sends `method` to `target` (a path under the endpoint or an absolute URL) with the right
    /// authorization; on 401 learns the challenge and retries once (with a fresh `body`).
    public func send(_ method: HTTPMethod, _ target: String, headers: [(String, String)] = [],
                     body: (@Sendable () -> HTTPClientRequest.Body)? = nil) async throws(RegistryError) -> HTTPClientResponse {
        let url = target.hasPrefix("http://") || target.hasPrefix("https://") ? target : endpoint.baseURL + target
        let first = try await authorization(refresh: false)
        let response = try await execute(method: method, url: url, headers: headers, authorization: first, body: body?())
        guard response.status == .unauthorized else { return response }
        _ = try? await response.body.collect(upTo: 1 << 16)
        await recordChallenge(response.headers)
        let second = try await authorization(refresh: true)
        guard let second, second != first else {
            throw RegistryError.unauthorized(url: url, detail: credentials.isEmpty ? "no credentials" : "credentials rejected")
        }
        let retried = try await execute(method: method, url: url, headers: headers, authorization: second, body: body?())
        if retried.status == .unauthorized {
            let bytes = (try? await retried.body.collect(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
            let detail = RegistryErrorEntry.decodeList(bytes)?.map(\.description).joined(separator: "; ") ?? "credentials rejected"
            throw RegistryError.unauthorized(url: url, detail: detail)
        }
        return retried
    }

    /// One request, without any auth handling; transport failures become `unreachable`.
    func execute(method: HTTPMethod, url: String, headers: [(String, String)], authorization: String?,
                 body: HTTPClientRequest.Body?) async throws(RegistryError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "User-Agent", value: "berth/0.1 (docker-compatible)")
        if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        request.body = body
        do {
            return try await transport.client(for: endpoint).execute(request, deadline: .distantFuture)
        } catch {
            throw RegistryError.unreachable(url: url, reason: Self.describe(error))
        }
    }

    /// A transport error in a few words.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connect: connection refused" }
        if text.contains("connectTimeout") { return "connect: i/o timeout" }
        return text
    }

    // MARK: Authorization

    /// Stores the preferred challenge (Bearer over Basic) of a 401's `WWW-Authenticate` headers.
    func recordChallenge(_ headers: HTTPHeaders) async {
        let challenges = AuthChallenge.parse(headers["WWW-Authenticate"])
        let chosen = challenges.first { $0.scheme == "bearer" } ?? challenges.first { $0.scheme == "basic" }
        if let chosen { await transport.auth.setChallenge(chosen, for: endpoint.host) }
    }

    /// The `Authorization` value for the endpoint's known challenge, or nil (none known, or no
    /// credentials for Basic). `refresh` fetches a new token instead of a cached one.
    func authorization(refresh: Bool) async throws(RegistryError) -> String? {
        if let token = credentials.registryToken, !token.isEmpty { return "Bearer " + token }
        guard let challenge = await transport.auth.challenge(for: endpoint.host) else { return nil }
        switch challenge.scheme {
        case "basic":
            guard let user = credentials.username, !user.isEmpty else { return nil }
            return "Basic " + Data("\(user):\(credentials.password ?? "")".utf8).base64EncodedString()
        case "bearer":
            let key = "\(endpoint.host)|\(credentials.username ?? "")|\(scopes.joined(separator: " "))"
            if !refresh, let cached = await transport.auth.token(key) { return "Bearer " + cached }
            let (token, lifetime) = try await fetchToken(challenge)
            await transport.auth.setToken(token, key: key, lifetime: lifetime)
            return "Bearer " + token
        default:
            return nil
        }
    }

    /// Asks the challenge's realm for a token for `scopes`: `GET` with Basic auth (anonymous without
    /// credentials), or the OAuth2 refresh-token `POST` when an identity token is there.
    func fetchToken(_ challenge: AuthChallenge) async throws(RegistryError) -> (String, Double) {
        guard let realm = challenge.realm, var components = URLComponents(string: realm) else {
            throw RegistryError.tokenFailed(realm: challenge.realm ?? "(none)", reason: "the Bearer challenge has no usable realm")
        }
        var request: HTTPClientRequest
        if let refresh = credentials.identityToken, !refresh.isEmpty {
            request = HTTPClientRequest(url: realm)
            request.method = .POST
            var form = ["grant_type=refresh_token", "refresh_token=" + Self.formEncode(refresh), "client_id=berth"]
            if let service = challenge.service { form.append("service=" + Self.formEncode(service)) }
            if !scopes.isEmpty { form.append("scope=" + Self.formEncode(scopes.joined(separator: " "))) }
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form.joined(separator: "&")))
        } else {
            var items = components.queryItems ?? []
            if let service = challenge.service { items.append(URLQueryItem(name: "service", value: service)) }
            for scope in scopes { items.append(URLQueryItem(name: "scope", value: scope)) }
            if scopes.isEmpty, let scope = challenge.scope { items.append(URLQueryItem(name: "scope", value: scope)) }
            components.queryItems = items.isEmpty ? nil : items
            request = HTTPClientRequest(url: components.string ?? realm)
            if let user = credentials.username, !user.isEmpty {
                let basic = Data("\(user):\(credentials.password ?? "")".utf8).base64EncodedString()
                request.headers.add(name: "Authorization", value: "Basic " + basic)
            }
        }
        request.headers.add(name: "User-Agent", value: "berth/0.1 (docker-compatible)")
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            let client = realm.hasPrefix("https://") && endpoint.isInsecure ? transport.unverified : transport.secure
            response = try await client.execute(request, timeout: .seconds(60))
            bytes = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw RegistryError.tokenFailed(realm: realm, reason: Self.describe(error))
        }
        guard response.status == .ok else {
            if response.status == .unauthorized || response.status == .forbidden {
                throw RegistryError.unauthorized(url: realm, detail: "the token server refused the credentials (\(response.status.code))")
            }
            throw RegistryError.tokenFailed(realm: realm, reason: "status \(response.status.code)")
        }
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Double?
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(bytes)),
              let token = answer.token ?? answer.access_token, !token.isEmpty else {
            throw RegistryError.tokenFailed(realm: realm, reason: "the answer has no token")
        }
        return (token, answer.expires_in ?? 60)
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: Error bodies

    /// Reads an error response's body (up to 64 KiB) and builds `unexpectedStatus`.
    static func failure(_ response: HTTPClientResponse, method: String, url: String) async -> RegistryError {
        let bytes = (try? await response.body.collect(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
        let entries = RegistryErrorEntry.decodeList(bytes) ?? []
        let text = entries.isEmpty ? String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return .unexpectedStatus(method: method, url: url, status: Int(response.status.code), entries: entries, body: text)
    }
}
