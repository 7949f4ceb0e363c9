import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// `berth-registry serve`: the registry's HTTP(S) server on one address.
public struct RegistryServer: Sendable {
    /// The configuration it serves.
    public let config: RegistryConfig
    let registry: Registry
    let logger: Logger

    /// Opens storage and loads credentials and keys.
    public init(config: RegistryConfig, logger: Logger) throws {
        self.config = config
        self.registry = try Registry(config: config)
        self.logger = logger
    }

    /// Serves until cancelled (or SIGTERM/SIGINT when `handleSignals`); `onListening` gets the bound port.
    public func run(handleSignals: Bool = true, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (host, port) = try config.hostAndPort()
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(300))
        let server: HTTPServerBuilder
        if let tls = config.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.cert).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            let tlsConfiguration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            server = try .tls(.http1(configuration: http1), tlsConfiguration: tlsConfiguration)
        } else {
            // Plain HTTP: blob bodies are streamed from their files on the event loop (see FileBodyHandler).
            server = HTTPServerBuilder { responder in
                RegistryHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: http1))
            }
        }
        let app = Application(
            responder: RegistryResponder(registry: registry, logger: logger),
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}
