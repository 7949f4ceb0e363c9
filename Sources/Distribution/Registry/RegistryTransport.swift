import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP side of the registry client: two connection pools (verified TLS, and unverified TLS for
/// insecure registries), the authentication state shared by every session (challenges and tokens
/// by registry host), and which scheme each insecure registry answered on.
///
/// `shared` lives as long as the process (an HTTPClient must be shut down before it is released,
/// which a daemon exiting on SIGTERM would not do); others must be `shutdown()` before being dropped.
public final class RegistryTransport: Sendable {
    /// The process-wide transport.
    public static let shared = RegistryTransport()

    let secure: HTTPClient
    let unverified: HTTPClient
    let auth = AuthState()

    /// Creates the pools: connect timeout 15 s, read timeout (between bytes) 120 s, up to 5 redirects.
    public init() {
        let timeout = HTTPClient.Configuration.Timeout(connect: .seconds(15), read: .seconds(120))
        let redirects = HTTPClient.Configuration.RedirectConfiguration.follow(max: 5, allowCycles: false)
        // A refused connection fails the request at once (AHC would retry it with back-off until
        // the connect timeout, 15 s per scheme tried); a layer download retries on its own.
        var secureConfiguration = HTTPClient.Configuration(redirectConfiguration: redirects, timeout: timeout)
        secureConfiguration.connectionPool.retryConnectionEstablishment = false
        var unverifiedConfiguration = HTTPClient.Configuration(certificateVerification: .none, redirectConfiguration: redirects, timeout: timeout)
        unverifiedConfiguration.connectionPool.retryConnectionEstablishment = false
        secure = HTTPClient(eventLoopGroupProvider: .singleton, configuration: secureConfiguration)
        unverified = HTTPClient(eventLoopGroupProvider: .singleton, configuration: unverifiedConfiguration)
    }

    /// Closes every connection; the transport is unusable afterwards.
    public func shutdown() async throws {
        try await secure.shutdown()
        try await unverified.shutdown()
    }

    /// The pool for `endpoint`.
    func client(for endpoint: RegistryEndpoint) -> HTTPClient {
        endpoint.isInsecure ? unverified : secure
    }
}

/// Challenges, tokens and resolved schemes by registry host.
actor AuthState {
    /// A token and when it stops being usable.
    struct Token {
        var value: String
        var expires: Date
    }

    private var challenges: [String: AuthChallenge] = [:]
    private var tokens: [String: Token] = [:]
    private var schemes: [String: String] = [:]

    func challenge(for host: String) -> AuthChallenge? { challenges[host] }
    func setChallenge(_ challenge: AuthChallenge?, for host: String) { challenges[host] = challenge }

    func token(_ key: String) -> String? {
        guard let token = tokens[key], token.expires > Date() else { return nil }
        return token.value
    }

    func setToken(_ value: String, key: String, lifetime: Double) {
        tokens[key] = Token(value: value, expires: Date().addingTimeInterval(max(lifetime - 10, 30)))
    }

    func dropToken(_ key: String) { tokens[key] = nil }

    func scheme(for host: String) -> String? { schemes[host] }
    func setScheme(_ scheme: String, for host: String) { schemes[host] = scheme }
}
