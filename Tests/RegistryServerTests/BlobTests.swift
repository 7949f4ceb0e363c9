import Foundation
import OCI
import Testing
@testable import RegistryServer

@Suite struct BlobTests {
    @Test func baseEndpointAnnouncesTheAPIVersion() async throws {
        try await withRegistry { registry in
            let reply = try await registry.send(.GET, "/v2/")
            #expect(reply.status == 200)
            #expect(reply.header("Docker-Distribution-API-Version") == "registry/2.0")
        }
    }

    @Test func monolithicPushThenGetAndHead() async throws {
        try await withRegistry { registry in
            let bytes = TestRegistry.randomBytes(300_000)
            let push = try await registry.send(.POST, "/v2/a/b/c/blobs/uploads/?digest=\(TestRegistry.sha256(bytes))", body: bytes)
            #expect(push.status == 201)
            let digest = TestRegistry.sha256(bytes)
            #expect(push.header("Location") == "/v2/a/b/c/blobs/\(digest)")
            #expect(push.header("Docker-Content-Digest") == digest.string)
            let get = try await registry.send(.GET, "/v2/a/b/c/blobs/\(digest)")
            #expect(get.status == 200)
            #expect(get.body == bytes)
            #expect(get.header("Docker-Content-Digest") == digest.string)
            let head = try await registry.send(.HEAD, "/v2/a/b/c/blobs/\(digest)")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "300000")
            #expect(head.body.isEmpty)
            // Stored once, content-addressed.
            #expect(registry.files(under: "blobs") == ["sha256/\(digest.encoded)"])
        }
    }

    @Test func unknownBlobIsBlobUnknownAndBadDigestIsDigestInvalid() async throws {
        try await withRegistry { registry in
            let missing = TestRegistry.sha256([1, 2, 3])
            let get = try await registry.send(.GET, "/v2/x/blobs/\(missing)")
            #expect(get.status == 404)
            #expect(get.errorCode == "BLOB_UNKNOWN")
            let bad = try await registry.send(.GET, "/v2/x/blobs/sha256:nothex")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "DIGEST_INVALID")
        }
    }

    @Test func blobInOneRepositoryIsUnknownInAnother() async throws {
        try await withRegistry { registry in
            let digest = try await registry.pushBlob("one", [9, 9, 9])
            #expect(try await registry.send(.HEAD, "/v2/two/blobs/\(digest)").status == 404)
        }
    }

    @Test func rangeRequestsGive206And416() async throws {
        try await withRegistry { registry in
            let bytes = Array(0..<200).map { UInt8($0) }
            let digest = try await registry.pushBlob("r", bytes)
            let part = try await registry.send(.GET, "/v2/r/blobs/\(digest)", headers: [("Range", "bytes=10-19")])
            #expect(part.status == 206)
            #expect(part.body == Array(bytes[10...19]))
            #expect(part.header("Content-Range") == "bytes 10-19/200")
            let tail = try await registry.send(.GET, "/v2/r/blobs/\(digest)", headers: [("Range", "bytes=-5")])
            #expect(tail.body == Array(bytes[195...]))
            let open = try await registry.send(.GET, "/v2/r/blobs/\(digest)", headers: [("Range", "bytes=190-")])
            #expect(open.body == Array(bytes[190...]))
            let beyond = try await registry.send(.GET, "/v2/r/blobs/\(digest)", headers: [("Range", "bytes=500-600")])
            #expect(beyond.status == 416)
            #expect(beyond.header("Content-Range") == "bytes */200")
        }
    }

    @Test func emptyBlobRoundTrips() async throws {
        try await withRegistry { registry in
            let digest = try await registry.pushBlob("empty", [])
            #expect(digest.string == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            let get = try await registry.send(.GET, "/v2/empty/blobs/\(digest)")
            #expect(get.status == 200)
            #expect(get.body.isEmpty)
            #expect(get.header("Content-Length") == "0")
            let range = try await registry.send(.GET, "/v2/empty/blobs/\(digest)", headers: [("Range", "bytes=0-10")])
            #expect(range.status == 200)
        }
    }

    @Test func sha512DigestsAreAccepted() async throws {
        try await withRegistry { registry in
            let bytes = Array("sha512 content".utf8)
            let digest = DigestingWriter.digest(of: Data(bytes), algorithm: .sha512)
            let push = try await registry.send(.POST, "/v2/s/blobs/uploads/?digest=\(digest)", body: bytes)
            #expect(push.status == 201)
            let get = try await registry.send(.GET, "/v2/s/blobs/\(digest)")
            #expect(get.body == bytes)
            #expect(registry.files(under: "blobs/sha512") == [digest.encoded])
        }
    }

    @Test func deleteRemovesTheRepositoryLink() async throws {
        try await withRegistry { registry in
            let digest = try await registry.pushBlob("d", [1, 2, 3, 4])
            let delete = try await registry.send(.DELETE, "/v2/d/blobs/\(digest)")
            #expect(delete.status == 202)
            #expect(try await registry.send(.HEAD, "/v2/d/blobs/\(digest)").status == 404)
            let again = try await registry.send(.DELETE, "/v2/d/blobs/\(digest)")
            #expect(again.status == 404)
            #expect(again.errorCode == "BLOB_UNKNOWN")
        }
    }

    @Test func invalidRepositoryNameIsNameInvalid() async throws {
        try await withRegistry { registry in
            for name in ["UPPER", "a//b", "-lead", "a..b"] {
                let reply = try await registry.send(.GET, "/v2/\(name)/tags/list")
                #expect(reply.status == 400, "\(name)")
                #expect(reply.errorCode == "NAME_INVALID", "\(name)")
            }
        }
    }

    @Test func crossRepositoryMountWithAndWithoutFrom() async throws {
        try await withRegistry { registry in
            let digest = try await registry.pushBlob("source", Array("shared layer".utf8))
            let mount = try await registry.send(.POST, "/v2/target/blobs/uploads/?mount=\(digest)&from=source")
            #expect(mount.status == 201)
            #expect(mount.header("Location") == "/v2/target/blobs/\(digest)")
            #expect(try await registry.send(.HEAD, "/v2/target/blobs/\(digest)").status == 200)
            // Without `from`: mounted from wherever the registry has it.
            let automatic = try await registry.send(.POST, "/v2/other/blobs/uploads/?mount=\(digest)")
            #expect(automatic.status == 201)
            #expect(try await registry.send(.HEAD, "/v2/other/blobs/\(digest)").status == 200)
            // An unknown blob falls back to a new upload session.
            let unknown = try await registry.send(.POST, "/v2/target/blobs/uploads/?mount=\(TestRegistry.sha256([0]))&from=source")
            #expect(unknown.status == 202)
            #expect(unknown.header("Docker-Upload-UUID") != nil)
            #expect(registry.files(under: "blobs") == ["sha256/\(digest.encoded)"])
        }
    }
}
