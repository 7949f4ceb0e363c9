@preconcurrency import Crypto
import Foundation

/// One granted access entry of a registry token (docker's token format).
public struct TokenAccess: Codable, Sendable, Equatable {
    /// `repository` or `registry`.
    public var type: String
    /// The repository name (or `catalog`).
    public var name: String
    /// The granted actions (`pull`, `push`, `delete`, `*`).
    public var actions: [String]

    /// Creates an entry.
    public init(type: String, name: String, actions: [String]) {
        self.type = type
        self.name = name
        self.actions = actions
    }

    /// Parses a scope string, `repository:name:pull,push` (names may contain `:` only before the last one).
    public init?(scope: String) {
        guard let last = scope.lastIndex(of: ":"), let first = scope.firstIndex(of: ":"), first < last else { return nil }
        type = String(scope[..<first])
        name = String(scope[scope.index(after: first)..<last])
        actions = scope[scope.index(after: last)...].split(separator: ",").map(String.init)
    }

    /// The scope string of this entry.
    public var scope: String { "\(type):\(name):\(actions.joined(separator: ","))" }
}

/// The claims of a registry token.
struct TokenClaims: Codable, Sendable {
    var iss: String
    var sub: String
    var aud: String
    var exp: Int
    var nbf: Int
    var iat: Int
    var jti: String
    var access: [TokenAccess]
}

/// Signs and verifies registry tokens (JWT, HS256 with a shared secret or ES256 with a P-256 key).
public struct TokenAuthority: Sendable {
    enum Key: Sendable {
        case hmac(SymmetricKey)
        case es256(P256.Signing.PrivateKey)
    }

    let key: Key
    /// The `iss` claim written and required.
    public let issuer: String
    /// The `aud` claim and the `service` of challenges.
    public let service: String
    /// How long an issued token is valid, in seconds.
    public let lifetime: Int

    /// Loads the key: a PEM EC private key means ES256; any other file content is an HMAC-SHA256 secret.
    public init(keyPath: String, issuer: String, service: String, lifetime: Int = 300) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: keyPath) else { throw ConfigError.unreadable(keyPath) }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN") {
            do {
                key = .es256(try P256.Signing.PrivateKey(pemRepresentation: text))
            } catch {
                throw ConfigError.invalid(keyPath, line: nil, "not a P-256 private key: \(error)")
            }
        } else {
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard secret.utf8.count >= 16 else { throw ConfigError.invalid(keyPath, line: nil, "HMAC secret must be at least 16 bytes") }
            key = .hmac(SymmetricKey(data: Data(secret.utf8)))
        }
        self.issuer = issuer
        self.service = service
        self.lifetime = lifetime
    }

    /// The JWS algorithm name.
    var algorithm: String {
        switch key {
        case .hmac: "HS256"
        case .es256: "ES256"
        }
    }

    /// Issues a token for `subject` with `access`.
    func issue(subject: String, access: [TokenAccess], now: Date = Date()) throws -> String {
        let time = Int(now.timeIntervalSince1970)
        let claims = TokenClaims(iss: issuer, sub: subject, aud: service, exp: time + lifetime, nbf: time - 1,
                                 iat: time, jti: UUID().uuidString, access: access)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Self.base64url(try encoder.encode(["alg": algorithm, "typ": "JWT"]))
        let payload = Self.base64url(try encoder.encode(claims))
        let input = Data("\(header).\(payload)".utf8)
        let signature: Data
        switch key {
        case .hmac(let secret): signature = Data(HMAC<SHA256>.authenticationCode(for: input, using: secret))
        case .es256(let privateKey): signature = try privateKey.signature(for: input).rawRepresentation
        }
        return "\(header).\(payload).\(Self.base64url(signature))"
    }

    /// Verifies a token's signature, algorithm, issuer, audience and lifetime; returns its claims or nil.
    func verify(_ token: String, now: Date = Date()) -> TokenClaims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerData = Self.unbase64url(parts[0]), let payload = Self.unbase64url(parts[1]),
              let signature = Self.unbase64url(parts[2]),
              let header = try? JSONDecoder().decode([String: String].self, from: headerData),
              header["alg"] == algorithm
        else { return nil }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        switch key {
        case .hmac(let secret):
            guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: secret) else { return nil }
        case .es256(let privateKey):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
                  privateKey.publicKey.isValidSignature(ecdsa, for: input) else { return nil }
        }
        guard let claims = try? JSONDecoder().decode(TokenClaims.self, from: payload) else { return nil }
        let time = Int(now.timeIntervalSince1970)
        guard claims.iss == issuer, claims.aud == service, claims.exp > time, claims.nbf <= time + 1 else { return nil }
        return claims
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: Substring) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.utf8.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }
}
