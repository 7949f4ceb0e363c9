import AsyncHTTPClient
import Foundation
import NIOCore
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
                // Blob bodies are read into buffers under TLS (no sendfile): whole and by range.
                let bytes = TestRegistry.randomBytes(700_000)
                let digest = TestRegistry.sha256(bytes)
                var push = HTTPClientRequest(url: "https://127.0.0.1:\(registry.port)/v2/t/blobs/uploads/?digest=\(digest)")
                push.method = .POST
                push.body = .bytes(ByteBuffer(bytes: bytes))
                #expect(try await client.execute(push, timeout: .seconds(10)).status.code == 201)
                let get = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(registry.port)/v2/t/blobs/\(digest)"),
                                                   timeout: .seconds(10))
                #expect(Array(try await get.body.collect(upTo: 8 << 20).readableBytesView) == bytes)
                var range = HTTPClientRequest(url: "https://127.0.0.1:\(registry.port)/v2/t/blobs/\(digest)")
                range.headers.add(name: "Range", value: "bytes=300000-")
                let part = try await client.execute(range, timeout: .seconds(10))
                #expect(part.status.code == 206)
                #expect(Array(try await part.body.collect(upTo: 8 << 20).readableBytesView) == Array(bytes[300_000...]))
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
