import Foundation
import OCI

/// `docker login`: checks credentials against a registry without storing them.
public struct RegistryLogin: Sendable {
    let transport: RegistryTransport
    let configuration: RegistryConfiguration

    /// A login checker.
    public init(transport: RegistryTransport, configuration: RegistryConfiguration) {
        self.transport = transport
        self.configuration = configuration
    }

    /// The registry domain of a login server address: `localhost:5000`, `https://r.example/v2/` →
    /// `r.example`; Docker Hub's `https://index.docker.io/v1/` (or nothing) → `docker.io`.
    public static func domain(ofServer address: String?) -> String {
        guard var text = address?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return ImageReference.defaultDomain }
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if text == ImageReference.legacyDefaultDomain || text == ImageReference.defaultDomain || text == RegistryConfiguration.dockerHubHost {
            return ImageReference.defaultDomain
        }
        return text
    }

    /// Pings the registry and proves `credentials` work: Basic by `GET /v2/` with them, Bearer by
    /// getting a token from the realm. Throws `unauthorized` when they are refused.
    public func login(_ credentials: RegistryCredentials) async throws(RegistryError) {
        let domain = Self.domain(ofServer: credentials.serverAddress)
        let endpoint = configuration.endpoints(for: domain, forPush: true)[0]
        var session = RegistrySession(transport: transport, endpoint: endpoint, credentials: credentials, scopes: [])
        let status = try await session.connect()
        let url = session.endpoint.baseURL + "/v2/"
        guard status == 401 else { return }
        guard credentials.hasSecret || !(credentials.registryToken ?? "").isEmpty else {
            throw RegistryError.unauthorized(url: url, detail: "no credentials")
        }
        let response: Int
        do {
            let answer = try await session.send(.GET, "/v2/")
            response = Int(answer.status.code)
            _ = try? await answer.body.collect(upTo: 1 << 16)
        } catch .unauthorized {
            throw RegistryError.loginFailed(url: url, status: "401 Unauthorized")
        }
        guard response == 200 else { throw RegistryError.loginFailed(url: url, status: "\(response)") }
    }
}
