import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import RegistryServer

/// Blob bodies sent with sendfile (plain HTTP): whole, by range, concurrently, and the handler that
/// puts the file's region in the body's place.
@Suite struct BlobDownloadTests {
    @Test func largeBlobComesBackWholeAndByRange() async throws {
        try await withRegistry { registry in
            let bytes = TestRegistry.randomBytes(3 << 20)
            let digest = try await registry.pushBlob("big", bytes)
            let whole = try await registry.send(.GET, "/v2/big/blobs/\(digest)")
            #expect(whole.status == 200)
            #expect(whole.header("Content-Length") == String(bytes.count))
            #expect(whole.body == bytes)
            let middle = try await registry.send(.GET, "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=1000000-2000000")])
            #expect(middle.status == 206)
            #expect(middle.body == Array(bytes[1_000_000...2_000_000]))
            #expect(middle.header("Content-Range") == "bytes 1000000-2000000/\(bytes.count)")
            let tail = try await registry.send(.GET, "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=-4097")])
            #expect(tail.body == Array(bytes[(bytes.count - 4097)...]))
            // The connection goes on serving ordinary answers after a file body.
            #expect(try await registry.send(.GET, "/v2/").status == 200)
        }
    }

    @Test func concurrentDownloadsEachGetTheirBytes() async throws {
        try await withRegistry { registry in
            let blobs = (0..<4).map { _ in TestRegistry.randomBytes(1 << 20) }
            var digests: [String] = []
            for blob in blobs { digests.append(try await registry.pushBlob("many", blob).string) }
            let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                for _ in 0..<3 {
                    for (index, digest) in digests.enumerated() {
                        group.addTask { (index, try await registry.send(.GET, "/v2/many/blobs/\(digest)").body) }
                    }
                }
                var result: [(Int, [UInt8])] = []
                for try await item in group { result.append(item) }
                return result
            }
            #expect(bodies.count == 12)
            for (index, body) in bodies { #expect(body == blobs[index]) }
        }
    }

    @Test func handlerPutsTheRegionInPlaceOfTheEmptyPart() throws {
        let path = NSTemporaryDirectory() + "region-" + UUID().uuidString
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let handler = FileRegionHandler()
        let channel = EmbeddedChannel(handler: handler)
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        let file = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: fd)
        handler.arm(FileRegion(fileHandle: file, readerIndex: 100, endIndex: 600))
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer())))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        guard case .head = try channel.readOutbound(as: HTTPServerResponsePart.self) else { Issue.record("no head"); return }
        guard case .body(.fileRegion(let region)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("the empty part was not replaced by the region")
            return
        }
        #expect(region.readerIndex == 100)
        #expect(region.endIndex == 600)
        guard case .end = try channel.readOutbound(as: HTTPServerResponsePart.self) else { Issue.record("no end"); return }
        // Once written, the handler closed the file.
        #expect(!file.isOpen)
        // Unarmed, an empty part passes as it is.
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer())))
        guard case .body(.byteBuffer(let passed)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("an unarmed empty part was changed")
            return
        }
        #expect(passed.readableBytes == 0)
        _ = try channel.finish()
    }

    @Test func closingAnArmedConnectionClosesTheFile() throws {
        let handler = FileRegionHandler()
        let channel = EmbeddedChannel(handler: handler)
        let fd = open("/dev/null", O_RDONLY)
        try #require(fd >= 0)
        let file = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: fd)
        handler.arm(FileRegion(fileHandle: file, readerIndex: 0, endIndex: 0))
        _ = try channel.finish()
        #expect(!file.isOpen)
    }
}
