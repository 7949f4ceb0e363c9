import Foundation

/// The credentials a build may use, by registry: docker's `X-Registry-Config` header (base64url of
/// a JSON object `{"<server>": AuthConfig, …}`, as the docker CLI sends every credential it has).
/// Keys are matched to a registry domain as dockerd does: scheme and path dropped, Docker Hub's
/// spellings (`https://index.docker.io/v1/`, `index.docker.io`, `registry-1.docker.io`) meaning `docker.io`.
public struct RegistryAuthConfigs: Sendable, Equatable {
    /// The credentials by registry domain.
    public private(set) var byDomain: [String: RegistryCredentials]

    /// Configs keyed as sent (server addresses).
    public init(_ configs: [String: RegistryCredentials] = [:]) {
        var byDomain: [String: RegistryCredentials] = [:]
        for (key, credentials) in configs.sorted(by: { $0.key < $1.key }) {
            byDomain[Self.domain(ofKey: key)] = credentials
        }
        self.byDomain = byDomain
    }

    /// Decodes an `X-Registry-Config` header (base64url or standard base64, padded or not). An absent
    /// or empty header is no credentials; one that is not base64 JSON of that shape is an error.
    public init(header: String?) throws(RegistryError) {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            self.init()
            return
        }
        guard let data = RegistryCredentials.base64URLDecode(header),
              let configs = try? JSONDecoder().decode([String: RegistryCredentials].self, from: data) else {
            throw RegistryError.invalidConfiguration("X-Registry-Config: not base64 of a JSON object of auth configs")
        }
        self.init(configs)
    }

    /// The credentials for registry `domain` (anonymous when none were sent).
    public func credentials(forDomain domain: String) -> RegistryCredentials {
        byDomain[Self.domain(ofKey: domain)] ?? .anonymous
    }

    /// The registry domain a config key names (`https://r.example:5000/v2/` → `r.example:5000`).
    public static func domain(ofKey key: String) -> String {
        var text = key.trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://"] where text.lowercased().hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if ["index.docker.io", "registry-1.docker.io", "docker.io"].contains(text.lowercased()) { return "docker.io" }
        return text
    }
}
