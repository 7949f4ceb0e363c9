import Foundation
import Yams

/// Everything `berth-registry serve` needs; built from defaults, then the YAML file, then flags.
///
/// YAML keys (all optional):
/// ```yaml
/// addr: 127.0.0.1:5000
/// root: /var/lib/berth-registry
/// readOnly: false
/// htpasswd: /etc/berth-registry/htpasswd
/// tls: { cert: server.crt, key: server.key }
/// token: { realm: https://host/token, issuer: berth-registry, service: berth-registry, key: token.key, lifetime: 300 }
/// access:
///   - { user: "*", repository: "*", actions: [pull] }
///   - { user: "*", repository: "${user}/*", actions: [pull, push, delete] }
/// logLevel: info
/// maxUploads: 1000
/// ```
public struct RegistryConfig: Sendable, Codable, Equatable {
    /// TLS certificate and key files (PEM).
    public struct TLS: Sendable, Codable, Equatable {
        /// Certificate chain file.
        public var cert: String
        /// Private key file.
        public var key: String
        /// Creates the pair.
        public init(cert: String, key: String) { self.cert = cert; self.key = key }
    }

    /// The token flow's settings.
    public struct Token: Sendable, Codable, Equatable {
        /// The URL clients fetch tokens from; nil: this server's own `/token` as the request's Host sees it.
        public var realm: String?
        /// The `iss` claim.
        public var issuer: String
        /// The `service` of challenges and `aud` of tokens; defaults to the issuer.
        public var service: String?
        /// Key file: a PEM P-256 private key (ES256) or a secret (HS256).
        public var key: String
        /// Token lifetime in seconds (default 300).
        public var lifetime: Int?
        /// Creates token settings.
        public init(realm: String? = nil, issuer: String, service: String? = nil, key: String, lifetime: Int? = nil) {
            self.realm = realm
            self.issuer = issuer
            self.service = service
            self.key = key
            self.lifetime = lifetime
        }
    }

    /// `host:port` to listen on.
    public var addr: String = "127.0.0.1:5000"
    /// The storage root.
    public var root: String = "/var/lib/berth-registry"
    /// Refuse every write with 405 UNSUPPORTED.
    public var readOnly: Bool = false
    /// htpasswd file for Basic auth (and for the token endpoint's credentials).
    public var htpasswd: String?
    /// TLS files; nil serves plain HTTP.
    public var tls: TLS?
    /// Token settings; nil uses Basic auth (when htpasswd is set) or no auth.
    public var token: Token?
    /// Access rules; nil means ``AccessRule/defaults``.
    public var access: [AccessRule]?
    /// Log level (trace, debug, info, notice, warning, error, critical).
    public var logLevel: String?
    /// The most uploads open at once (default 1000); more get 429 TOOMANYREQUESTS.
    public var maxUploads: Int?

    /// The default configuration.
    public init() {}

    enum CodingKeys: String, CodingKey { case addr, root, readOnly, htpasswd, tls, token, access, logLevel, maxUploads }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        addr = try container.decodeIfPresent(String.self, forKey: .addr) ?? addr
        root = try container.decodeIfPresent(String.self, forKey: .root) ?? root
        readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly) ?? readOnly
        htpasswd = try container.decodeIfPresent(String.self, forKey: .htpasswd)
        tls = try container.decodeIfPresent(TLS.self, forKey: .tls)
        token = try container.decodeIfPresent(Token.self, forKey: .token)
        access = try container.decodeIfPresent([AccessRule].self, forKey: .access)
        logLevel = try container.decodeIfPresent(String.self, forKey: .logLevel)
        maxUploads = try container.decodeIfPresent(Int.self, forKey: .maxUploads)
    }

    /// Parses YAML text (unknown keys are ignored).
    public init(yaml: String, path: String = "config") throws(ConfigError) {
        do {
            self = try YAMLDecoder().decode(RegistryConfig.self, from: yaml.isEmpty ? "{}" : yaml)
        } catch {
            throw ConfigError.invalid(path, line: nil, "\(error)")
        }
    }

    /// Reads a YAML file.
    public init(path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError.unreadable(path) }
        try self.init(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The host and port of `addr`.
    public func hostAndPort() throws(ConfigError) -> (host: String, port: Int) {
        guard let colon = addr.lastIndex(of: ":"), let port = Int(addr[addr.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigError.invalid("addr", line: nil, "expected HOST:PORT, got \(addr)")
        }
        var host = String(addr[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
