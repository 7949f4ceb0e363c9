import Foundation
import HTTPTypes
import Hummingbird

/// Decides who a request is and whether it may do what it asks.
///
/// Three modes: open (no htpasswd, no token: everyone may do everything), Basic (htpasswd; access
/// rules apply to the user), and token (JWT bearer tokens this server verifies; its own `/token`
/// endpoint issues them after checking htpasswd credentials against the access rules).
struct RegistryAuth: Sendable {
    /// The credentials, when htpasswd is configured.
    let credentials: CredentialCache?
    /// The token signer/verifier, when the token flow is configured.
    let tokens: TokenAuthority?
    /// The configured realm (nil: this server's `/token`).
    let realm: String?
    /// Access rules.
    let rules: [AccessRule]
    /// Whether requests need credentials at all.
    var enabled: Bool { credentials != nil || tokens != nil }

    /// Authorises a request needing `scopes` (empty: any authenticated user, as `/v2/` does).
    /// Returns the user name (nil when anonymous) or throws the 401/403 answer.
    func authorize(_ request: Request, scopes: [TokenAccess]) async throws -> String? {
        guard enabled else { return nil }
        let authorization = request.headers[.authorization]
        if let tokens {
            guard let authorization, authorization.lowercased().hasPrefix("bearer "),
                  let claims = tokens.verify(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            else {
                throw challenge(request, scopes: scopes, error: authorization == nil ? nil : "invalid_token")
            }
            for scope in scopes {
                let granted = Set(claims.access.filter { $0.type == scope.type && $0.name == scope.name }.flatMap(\.actions))
                if !granted.contains("*") && !Set(scope.actions).isSubset(of: granted) {
                    throw challenge(request, scopes: scopes, error: "insufficient_scope")
                }
            }
            return claims.sub.isEmpty ? nil : claims.sub
        }
        // Basic.
        var user: String?
        if let authorization {
            guard let (name, password) = Self.basicCredentials(authorization),
                  await credentials?.verify(user: name, password: password) == true
            else { throw challenge(request, scopes: scopes, error: nil) }
            user = name
        }
        if user == nil && scopes.isEmpty { throw challenge(request, scopes: scopes, error: nil) }
        for scope in scopes where !permits(user: user, scope) {
            if user == nil { throw challenge(request, scopes: scopes, error: nil) }
            throw RegistryError(.denied, "requested access to the resource is denied", detail: scope.scope)
        }
        return user
    }

    /// Whether the rules grant `user` every action of `scope`.
    func permits(user: String?, _ scope: TokenAccess) -> Bool {
        if scope.type == "registry" { return user != nil }
        let allowed = Set(AccessRule.allowed(rules, user: user, repository: scope.name).map(\.rawValue))
        return scope.actions.allSatisfy { allowed.contains($0) || ($0 == "*" && allowed.count == RegistryAction.allCases.count) }
    }

    /// The 401 answer with the challenge for this mode.
    func challenge(_ request: Request, scopes: [TokenAccess], error: String?) -> RegistryError {
        var value: String
        if let tokens {
            value = "Bearer realm=\"\(realmURL(request))\",service=\"\(tokens.service)\""
            if !scopes.isEmpty { value += ",scope=\"\(scopes.map(\.scope).joined(separator: " "))\"" }
            if let error { value += ",error=\"\(error)\"" }
        } else {
            value = "Basic realm=\"berth-registry\""
        }
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = value
        return RegistryError(.unauthorized, "authentication required",
                             detail: scopes.isEmpty ? nil : scopes.map(\.scope).joined(separator: " "), headers: headers)
    }

    /// The realm: configured, or this server's `/token` at the Host the client used.
    func realmURL(_ request: Request) -> String {
        if let realm { return realm }
        let host = request.head.authority ?? "localhost"
        let scheme = request.head.scheme ?? "http"
        return "\(scheme)://\(host)/token"
    }

    /// The built-in token endpoint: `GET /token?service=…&scope=…` with optional Basic credentials,
    /// or the OAuth2 form `POST /token` (`grant_type=password&username=…&password=…&scope=…`, as
    /// containerd sends it). Grants each requested action the access rules allow; bad credentials get 401.
    func issueToken(_ request: Request) async throws -> (Response, String?) {
        guard let tokens else { throw RegistryError(.unsupported, "this registry issues no tokens", status: .notFound) }
        var parameters: [(String, String)] = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        var credentials = request.headers[.authorization].map { header -> (String, String)? in Self.basicCredentials(header) }
        if request.method == .post {
            let body = try await request.body.collect(upTo: 64 << 10)
            parameters += Self.formFields(String(decoding: body.readableBytesView, as: UTF8.self))
            let form = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
            guard form["grant_type"] == "password" else {
                throw RegistryError(.unsupported, "only grant_type=password is supported", detail: form["grant_type"], status: .badRequest)
            }
            credentials = .some((form["username"] ?? "", form["password"] ?? ""))
        }
        var user: String?
        if let credentials {
            guard let (name, password) = credentials,
                  await self.credentials?.verify(user: name, password: password) == true
            else {
                var headers = HTTPFields()
                headers[.wwwAuthenticate] = "Basic realm=\"berth-registry\""
                throw RegistryError(.unauthorized, "invalid credentials", headers: headers)
            }
            user = name
        }
        if let service = parameters.first(where: { $0.0 == "service" })?.1, service != tokens.service {
            throw RegistryError(.denied, "unknown service", detail: service, status: .badRequest)
        }
        let scopes = parameters.filter { $0.0 == "scope" }.flatMap { $0.1.split(separator: " ") }
        var access: [TokenAccess] = []
        for text in scopes {
            guard let wanted = TokenAccess(scope: String(text)) else { continue }
            let granted = wanted.actions.filter { permits(user: user, TokenAccess(type: wanted.type, name: wanted.name, actions: [$0])) }
            if !granted.isEmpty { access.append(TokenAccess(type: wanted.type, name: wanted.name, actions: granted)) }
        }
        let token = try tokens.issue(subject: user ?? "", access: access)
        let issued = ISO8601DateFormatter().string(from: Date())
        let body: [String: AnyEncodableValue] = [
            "token": .string(token), "access_token": .string(token),
            "expires_in": .int(tokens.lifetime), "issued_at": .string(issued),
        ]
        let data = try JSONEncoder().encode(body)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return (Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data))), user)
    }

    /// Decodes an `application/x-www-form-urlencoded` body.
    static func formFields(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Decodes `Basic base64(user:password)`.
    static func basicCredentials(_ header: String) -> (String, String)? {
        guard header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces))
        else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// A JSON value of the token response (string or integer).
enum AnyEncodableValue: Encodable {
    case string(String)
    case int(Int)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        }
    }
}
