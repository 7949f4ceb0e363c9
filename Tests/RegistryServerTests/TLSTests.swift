import AsyncHTTPClient
import Foundation
import NIOSSL
import Testing
@testable import RegistryServer

private var opensslInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

@Suite struct TLSTests {
    /// With --tls-cert/--tls-key the registry speaks HTTPS with that certificate (and only HTTPS).
    @Test(.enabled(if: opensslInstalled)) func servesHTTPSWithTheGivenCertificate() async throws {
        try await withRegistry({ config, directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                 "-keyout", directory + "/tls.key", "-out", directory + "/tls.crt"]
            process.standardError = FileHandle.nullDevice
            // Runs before the server starts, so waiting here starves nothing.
            try process.run()
            process.waitUntilExit()
            config.tls = .init(cert: directory + "/tls.crt", key: directory + "/tls.key")
        }) { registry in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(registry.root + "/tls.crt")
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(registry.port)/v2/"), timeout: .seconds(10))
                #expect(response.status.code == 200)
                #expect(response.headers.first(name: "Docker-Distribution-API-Version") == "registry/2.0")
                // Plain HTTP on the TLS port gets no API answer.
                let plain = try? await registry.send(.GET, "/v2/")
                #expect(plain?.status != 200)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
