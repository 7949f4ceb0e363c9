import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OCI
@testable import RegistryServer

/// A berth-registry served in-process on a free loopback port, over a fresh temporary root.
final class TestRegistry: Sendable {
    let root: String
    let port: Int
    private let task: Task<Void, any Error>

    /// Starts a registry; `configure` adjusts the config (auth, read-only…) before it starts.
    static func start(_ configure: (inout RegistryConfig, String) throws -> Void = { _, _ in }) async throws -> TestRegistry {
        let root = NSTemporaryDirectory() + "berth-registry-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var config = RegistryConfig()
        config.addr = "127.0.0.1:0"
        config.root = root + "/store"
        try configure(&config, root)
        var logger = Logger(label: "test-registry")
        logger.logLevel = .critical
        let server = try RegistryServer(config: config, logger: logger)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await server.run(handleSignals: false, onListening: { port in continuation.yield(port) })
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("server did not start") }
        return TestRegistry(root: root, port: port, task: task)
    }

    private init(root: String, port: Int, task: Task<Void, any Error>) {
        self.root = root
        self.port = port
        self.task = task
    }

    /// The storage root.
    var store: String { root + "/store" }
    var base: String { "http://127.0.0.1:\(port)" }

    /// Stops the server and removes its files.
    func stop() async {
        task.cancel()
        _ = await task.result
        try? FileManager.default.removeItem(atPath: root)
    }

    /// One HTTP exchange.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// Pushes a blob monolithically; returns its digest.
    @discardableResult
    func pushBlob(_ name: String, _ bytes: [UInt8], headers: [(String, String)] = []) async throws -> OCI.Digest {
        let digest = Self.sha256(bytes)
        let reply = try await send(.POST, "/v2/\(name)/blobs/uploads/?digest=\(digest)", headers: headers, body: bytes)
        guard reply.status == 201 else { throw TestFailure("push blob: \(reply.status) \(reply.text)") }
        return digest
    }

    /// Pushes an image manifest referencing a config and layers (pushing those first); returns the manifest.
    func pushImage(_ name: String, tag: String, layers: [[UInt8]], headers: [(String, String)] = []) async throws -> (OCI.Digest, [UInt8]) {
        let config = Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let configDigest = try await pushBlob(name, config, headers: headers)
        var layerJSON: [String] = []
        for layer in layers {
            let digest = try await pushBlob(name, layer, headers: headers)
            layerJSON.append(#"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(digest)","size":\#(layer.count)}"#)
        }
        let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[\#(layerJSON.joined(separator: ","))]}"#.utf8)
        let reply = try await send(.PUT, "/v2/\(name)/manifests/\(tag)",
                                   headers: headers + [("Content-Type", MediaType.ociManifest)], body: manifest)
        guard reply.status == 201 else { throw TestFailure("push manifest: \(reply.status) \(reply.text)") }
        return (Self.sha256(manifest), manifest)
    }

    static func sha256(_ bytes: [UInt8]) -> OCI.Digest {
        OCI.Digest(algorithm: .sha256, bytes: Array(SHA256.hash(data: bytes)))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Files under a store directory (relative paths), for checking what is visible on disk.
    func files(under relative: String) -> [String] {
        let path = store + "/" + relative
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var result: [String] = []
        while let entry = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + entry, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(entry)
            }
        }
        return result.sorted()
    }
}

/// One HTTP answer.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The first error code of a spec error body.
    var errorCode: String? {
        struct Body: Decodable { struct Item: Decodable { var code: String }; var errors: [Item] }
        return (try? JSONDecoder().decode(Body.self, from: Data(body)))?.errors.first?.code
    }

    func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a fresh registry and always stops it.
func withRegistry(_ configure: (inout RegistryConfig, String) throws -> Void = { _, _ in },
                  _ body: (TestRegistry) async throws -> Void) async throws {
    let registry = try await TestRegistry.start(configure)
    do {
        try await body(registry)
    } catch {
        await registry.stop()
        throw error
    }
    await registry.stop()
}
