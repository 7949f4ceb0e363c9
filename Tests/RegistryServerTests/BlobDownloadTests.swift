import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import RegistryServer

/// Blob bodies streamed from their files by the connection's FileBodyHandler (plain HTTP): whole,
/// by range, concurrently, and the handler itself.
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

    @Test func handlerStreamsTheFileInPlaceOfTheEmptyPartAndHoldsWhatFollows() throws {
        let path = NSTemporaryDirectory() + "file-body-" + UUID().uuidString
        let bytes = TestRegistry.randomBytes(700_000)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let handler = FileBodyHandler()
        let channel = EmbeddedChannel(handler: handler)
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        handler.arm(.init(fd: fd, path: path, offset: 1000, end: 650_000))
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        guard case .head = try channel.readOutbound(as: HTTPServerResponsePart.self) else { Issue.record("no head"); return }
        // The socket is full: nothing of the file goes out, and the end waits behind it.
        channel.isWritable = false
        let body = channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer())))
        let end = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        // The body part's promise completes with the file's last chunk, the end's after it.
        try body.wait()
        try end.wait()
        var received: [UInt8] = []
        var ended = false
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .body(.byteBuffer(let buffer)):
                #expect(!ended)
                received += buffer.readableBytesView
            case .end: ended = true
            default: Issue.record("unexpected part \(part)")
            }
        }
        #expect(ended)
        #expect(received == Array(bytes[1000..<650_000]))
        // Sent: the handler closed the file.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) != path)
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
        // A socket pair stands in for the file: once the handler closes its end, a send fails.
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let handler = FileBodyHandler()
        let channel = EmbeddedChannel(handler: handler)
        handler.arm(.init(fd: ends[0], path: "socketpair", offset: 0, end: 10))
        _ = try channel.finish()
        var byte: UInt8 = 1
        #expect(send(ends[1], &byte, 1, Int32(MSG_NOSIGNAL)) == -1)
    }
}
