import Foundation

/// What a client hands the engine to authenticate to a registry: docker's `AuthConfig`, as sent
/// base64url-encoded in `X-Registry-Auth` and as the body of `POST /auth`.
public struct RegistryCredentials: Sendable, Equatable, Codable {
    /// The user name (Basic auth, or the token server's basic auth).
    public var username: String?
    /// The password.
    public var password: String?
    /// The registry the credentials are for (`localhost:5000`, `https://index.docker.io/v1/`).
    public var serverAddress: String?
    /// A refresh token from an earlier login (OAuth2 `refresh_token` grant).
    public var identityToken: String?
    /// A bearer token to send as it is.
    public var registryToken: String?

    enum CodingKeys: String, CodingKey {
        case username, password, serverAddress = "serveraddress", identityToken = "identitytoken", registryToken = "registrytoken"
        case auth
    }

    /// Creates credentials.
    public init(username: String? = nil, password: String? = nil, serverAddress: String? = nil,
                identityToken: String? = nil, registryToken: String? = nil) {
        self.username = username
        self.password = password
        self.serverAddress = serverAddress
        self.identityToken = identityToken
        self.registryToken = registryToken
    }

    /// No credentials: anonymous access.
    public static let anonymous = RegistryCredentials()

    /// True when nothing would authenticate (anonymous).
    public var isEmpty: Bool {
        (username ?? "").isEmpty && (password ?? "").isEmpty && (identityToken ?? "").isEmpty && (registryToken ?? "").isEmpty
    }

    /// True when a user name and password (or an identity token) are there for Basic or token-server auth.
    public var hasSecret: Bool {
        !(username ?? "").isEmpty && (!(password ?? "").isEmpty || !(identityToken ?? "").isEmpty)
    }

    /// Decodes docker's JSON, also accepting the combined `auth` field (`base64(user:password)`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decodeIfPresent(String.self, forKey: .username)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        serverAddress = try container.decodeIfPresent(String.self, forKey: .serverAddress)
        identityToken = try container.decodeIfPresent(String.self, forKey: .identityToken)
        registryToken = try container.decodeIfPresent(String.self, forKey: .registryToken)
        if (username ?? "").isEmpty, let auth = try container.decodeIfPresent(String.self, forKey: .auth),
           let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            username = String(decoded[..<colon])
            password = String(decoded[decoded.index(after: colon)...])
        }
    }

    /// Encodes docker's JSON (absent fields omitted).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(username, forKey: .username)
        try container.encodeIfPresent(password, forKey: .password)
        try container.encodeIfPresent(serverAddress, forKey: .serverAddress)
        try container.encodeIfPresent(identityToken, forKey: .identityToken)
        try container.encodeIfPresent(registryToken, forKey: .registryToken)
    }

    /// Decodes an `X-Registry-Auth` header: base64url (padded or not) of the JSON. An empty, `{}`
    /// or undecodable header means anonymous, as dockerd treats it.
    public init(registryAuthHeader header: String?) {
        guard let header, !header.isEmpty, let data = Self.base64URLDecode(header),
              let decoded = try? JSONDecoder().decode(RegistryCredentials.self, from: data) else {
            self = .anonymous
            return
        }
        self = decoded
    }

    /// The `X-Registry-Auth` value for these credentials (base64url of the JSON).
    public var registryAuthHeader: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data("{}".utf8)
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// base64url or standard base64, with or without padding.
    static func base64URLDecode(_ text: String) -> Data? {
        var standard = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }
}
