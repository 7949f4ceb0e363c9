import Foundation
import Glibc
import ImageStore
import OCI
import Testing

@Suite("Content store")
struct ContentStoreTests {
    @Test func digesterMatchesKnownVectors() {
        #expect(Digester.digest(of: Array("abc".utf8)).string
            == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var digester = Digester(algorithm: .sha512)
        digester.update(bytes: Array("a".utf8))
        digester.update(bytes: Array("bc".utf8))
        #expect(digester.finalize().string == "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test func ingestWithRightDigestAndSizeIsReadable() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let bytes = storeBytes(3 << 20 + 17)
            let digest = Digester.digest(of: bytes)
            let info = try await store.ingest(expected: digest, expectedSize: Int64(bytes.count), from: StoreChunks(bytes: bytes, size: 65_536))
            #expect(info.digest == digest)
            #expect(info.size == Int64(bytes.count))
            #expect(store.exists(digest))
            #expect(try store.read(digest) == bytes)
            #expect(try store.info(digest).size == Int64(bytes.count))
            #expect(try store.list().map(\.digest) == [digest])
            #expect(store.path(for: digest) == "\(root)/content/blobs/sha256/\(digest.encoded)")
            #expect(storeListing(store.ingestDirectory).isEmpty)
            var streamed: [UInt8] = []
            for try await chunk in try store.reader(for: digest).chunks(size: 100_000) { streamed += chunk }
            #expect(streamed == bytes)
            try store.verify(digest)
        }
    }

    @Test func ingestWithWrongDigestLeavesNothing() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let bytes = storeBytes(10_000)
            let wrong = Digester.digest(of: Array("something else".utf8))
            await #expect(throws: ContentError.digestMismatch(expected: wrong, actual: Digester.digest(of: bytes))) {
                try await store.ingest(expected: wrong, expectedSize: 10_000, from: StoreChunks(bytes: bytes, size: 999))
            }
            #expect(storeListing(store.blobsDirectory + "/sha256").isEmpty)
            #expect(storeListing(store.ingestDirectory).isEmpty)
            #expect(!store.exists(wrong))
        }
    }

    @Test func ingestWithWrongSizeLeavesNothing() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let bytes = storeBytes(5000)
            let digest = Digester.digest(of: bytes)
            await #expect(throws: ContentError.sizeMismatch(digest: digest, expected: 6000, actual: 5000)) {
                try await store.ingest(expected: digest, expectedSize: 6000, from: StoreChunks(bytes: bytes, size: 1000))
            }
            // Too long fails as soon as the size is passed.
            await #expect(throws: ContentError.sizeMismatch(digest: digest, expected: 4000, actual: 4096)) {
                try await store.ingest(expected: digest, expectedSize: 4000, from: StoreChunks(bytes: bytes, size: 4096))
            }
            // The read-closure variant, with no expected digest.
            #expect(throws: ContentError.sizeMismatch(digest: nil, expected: 1, actual: 5000)) {
                var sent = false
                _ = try store.ingest(expectedSize: 1) { buffer in
                    if sent { return 0 }
                    sent = true
                    buffer.copyBytes(from: bytes)
                    return bytes.count
                }
            }
            #expect(storeListing(store.blobsDirectory + "/sha256").isEmpty)
            #expect(storeListing(store.ingestDirectory).isEmpty)
        }
    }

    @Test func concurrentIngestsOfTheSameBlobAllSucceed() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let bytes = storeBytes(2 << 20, seed: 3)
            let digest = Digester.digest(of: bytes)
            let results = try await withThrowingTaskGroup(of: ContentInfo.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.ingest(expected: digest, expectedSize: Int64(bytes.count), from: StoreChunks(bytes: bytes, size: 32_768))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 8)
            #expect(results.allSatisfy { $0.digest == digest && $0.size == Int64(bytes.count) })
            #expect(storeListing(store.blobsDirectory + "/sha256") == [digest.encoded])
            #expect(storeListing(store.ingestDirectory).isEmpty)
            #expect(try store.read(digest) == bytes)
        }
    }

    @Test func writeReadDeleteAndIngestFromDescriptor() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let descriptor = try store.write(bytes: Array("{}".utf8), mediaType: MediaType.ociEmptyJSON)
            #expect(descriptor.digest == Descriptor.emptyJSON.digest)
            #expect(descriptor.size == 2)
            #expect(try store.read(descriptor.digest) == Array("{}".utf8))
            #expect(try store.delete(descriptor.digest) == 2)
            #expect(try store.delete(descriptor.digest) == nil)
            #expect(throws: ContentError.notFound(descriptor.digest)) { try store.read(descriptor.digest) }

            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            let payload = storeBytes(30_000)
            payload.withUnsafeBytes { _ = Glibc.write(fds[1], $0.baseAddress, $0.count) }
            close(fds[1])
            defer { close(fds[0]) }
            let info = try store.ingest(expected: Digester.digest(of: payload), fileDescriptor: fds[0])
            #expect(info.size == 30_000)
        }
    }

    @Test func verifyFindsACorruptBlob() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let digest = try store.write(bytes: Array("hello".utf8), mediaType: "text/plain").digest
            try store.verify(digest)
            let path = store.path(for: digest)
            chmod(path, 0o644)
            try Data("jello".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: ContentError.corrupt(digest: digest, actual: Digester.digest(of: Array("jello".utf8)), size: 5)) {
                try store.verify(digest)
            }
        }
    }

    @Test func cleanupIngestRemovesOnlyStaleFiles() async throws {
        try await StoreTempRoot.with { root in
            let store = try ContentStore(root: root)
            let stale = store.ingestDirectory + "/stale.partial"
            let fresh = store.ingestDirectory + "/fresh.partial"
            _ = FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3]))
            _ = FileManager.default.createFile(atPath: fresh, contents: Data([4]))
            var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
            #expect(utimes(stale, &times) == 0)
            #expect(try store.cleanupIngest(olderThan: 3600) == 1)
            #expect(storeListing(store.ingestDirectory) == ["fresh.partial"])
        }
    }
}
