import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OCI
import Testing
@testable import RegistryServer

@Suite(.serialized) struct CrashTests {
    /// kill -9 of `berth-registry serve` while a blob streams in: afterwards no partial blob is
    /// visible, every stored blob matches its digest, and the upload resumes where the data ends.
    @Test func killDuringPushLeavesAConsistentStore() async throws {
        let directory = NSTemporaryDirectory() + "berth-registry-crash-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let root = directory + "/store"
        let bytes = TestRegistry.randomBytes(8 << 20)
        let digest = TestRegistry.sha256(bytes)

        let server = try await RegistryProcess(root: root, logPath: directory + "/first.log")
        let base = "http://127.0.0.1:\(server.port)"
        let start = try await HTTPClient.shared.execute(clientRequest(.POST, "\(base)/v2/crash/blobs/uploads/"), timeout: .seconds(10))
        let location = try #require(start.headers.first(name: "Location"))
        // A monolithic push of the same bytes, and a chunk into the session; both die halfway.
        let chunk = 256 << 10
        for url in ["\(base)/v2/crash/blobs/uploads/?digest=\(digest)", "\(base)\(location)"] {
            var request = clientRequest(url.contains("?digest") ? .POST : .PATCH, url)
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
            request.body = .stream(stream, length: .known(Int64(bytes.count)))
            let producer = Task {
                for offset in stride(from: 0, to: 3 << 20, by: chunk) {
                    continuation.yield(ByteBuffer(bytes: bytes[offset..<(offset + chunk)]))
                }
            }
            let send = Task { try await HTTPClient.shared.execute(request, timeout: .seconds(30)) }
            await producer.value
            try await Task.sleep(nanoseconds: 300_000_000)
            if url.contains("?digest") {
                // Let the first request be cut by the connection closing; kill during the second.
                continuation.finish()
                _ = await send.result
            } else {
                server.kill9()
                continuation.finish()
                _ = await send.result
            }
        }

        // Nothing partial is visible: every blob file hashes to its name; the pushed digest is absent.
        let blobs = (try? FileManager.default.subpathsOfDirectory(atPath: root + "/blobs")) ?? []
        for path in blobs where path.split(separator: "/").count == 2 {
            let parts = path.split(separator: "/")
            let stored = try Digest(parsing: "\(parts[0]):\(parts[1])")
            #expect(try DigestingWriter.hashFile(root + "/blobs/" + path, algorithm: stored.algorithm) == stored)
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/blobs/sha256/" + digest.encoded))

        // After a restart the upload resumes from what reached the disk.
        let second = try await RegistryProcess(root: root, logPath: directory + "/second.log")
        defer { second.stop() }
        let base2 = "http://127.0.0.1:\(second.port)"
        let head = try await HTTPClient.shared.execute(clientRequest(.HEAD, "\(base2)/v2/crash/blobs/\(digest)"), timeout: .seconds(10))
        #expect(head.status.code == 404)
        let status = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base2)\(location)"), timeout: .seconds(10))
        #expect(status.status.code == 204)
        let range = try #require(status.headers.first(name: "Range"))
        let received = Int(range.split(separator: "-")[1])! + 1
        #expect(received > 0 && received <= 3 << 20)
        var put = clientRequest(.PUT, "\(base2)\(location)?digest=\(digest)")
        put.headers.add(name: "Content-Range", value: "\(received)-\(bytes.count - 1)")
        put.body = .bytes(ByteBuffer(bytes: bytes[received...]))
        let finished = try await HTTPClient.shared.execute(put, timeout: .seconds(30))
        #expect(finished.status.code == 201)
        let get = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base2)/v2/crash/blobs/\(digest)"), timeout: .seconds(30))
        let body = try await get.body.collect(upTo: 16 << 20)
        #expect(Array(body.readableBytesView) == bytes)
    }
}

private func clientRequest(_ method: HTTPMethod, _ url: String) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = method
    return request
}
