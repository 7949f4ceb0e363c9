import Foundation
import OCI
import Testing
@testable import RegistryServer

@Suite struct UploadTests {
    @Test func postThenPutWithTheWholeBody() async throws {
        try await withRegistry { registry in
            let bytes = TestRegistry.randomBytes(50_000)
            let start = try await registry.send(.POST, "/v2/up/blobs/uploads/")
            #expect(start.status == 202)
            let location = try #require(start.header("Location"))
            #expect(start.header("Range") == "0-0")
            #expect(start.header("Docker-Upload-UUID") != nil)
            let put = try await registry.send(.PUT, "\(location)?digest=\(TestRegistry.sha256(bytes))", body: bytes)
            #expect(put.status == 201)
            #expect(try await registry.send(.GET, "/v2/up/blobs/\(TestRegistry.sha256(bytes))").body == bytes)
            #expect(registry.files(under: "uploads").isEmpty)
        }
    }

    @Test func chunkedPatchWithStatusAndOutOfOrderChunk() async throws {
        try await withRegistry { registry in
            let bytes = TestRegistry.randomBytes(30_000)
            let location = try #require(try await registry.send(.POST, "/v2/chunk/blobs/uploads/").header("Location"))
            let first = try await registry.send(.PATCH, location, headers: [("Content-Range", "0-9999"), ("Content-Type", "application/octet-stream")],
                                                body: Array(bytes[0..<10_000]))
            #expect(first.status == 202)
            #expect(first.header("Range") == "0-9999")
            // A chunk that does not start at the current offset: 416 with the current range.
            let skipped = try await registry.send(.PATCH, location, headers: [("Content-Range", "20000-29999")], body: Array(bytes[20_000...]))
            #expect(skipped.status == 416)
            #expect(skipped.header("Range") == "0-9999")
            #expect(skipped.header("Location") == location)
            let status = try await registry.send(.GET, location)
            #expect(status.status == 204)
            #expect(status.header("Range") == "0-9999")
            #expect(status.header("Docker-Upload-UUID") != nil)
            // A streamed chunk without Content-Range is appended.
            let second = try await registry.send(.PATCH, location, body: Array(bytes[10_000..<20_000]))
            #expect(second.header("Range") == "0-19999")
            let put = try await registry.send(.PUT, "\(location)?digest=\(TestRegistry.sha256(bytes))",
                                              headers: [("Content-Range", "20000-29999")], body: Array(bytes[20_000...]))
            #expect(put.status == 201)
            #expect(try await registry.send(.GET, "/v2/chunk/blobs/\(TestRegistry.sha256(bytes))").body == bytes)
        }
    }

    @Test func digestMismatchLeavesNothingVisible() async throws {
        try await withRegistry { registry in
            let bytes = Array("the real bytes".utf8)
            let wrong = TestRegistry.sha256(Array("other bytes".utf8))
            let monolithic = try await registry.send(.POST, "/v2/bad/blobs/uploads/?digest=\(wrong)", body: bytes)
            #expect(monolithic.status == 400)
            #expect(monolithic.errorCode == "DIGEST_INVALID")
            let location = try #require(try await registry.send(.POST, "/v2/bad/blobs/uploads/").header("Location"))
            let put = try await registry.send(.PUT, "\(location)?digest=\(wrong)", body: bytes)
            #expect(put.errorCode == "DIGEST_INVALID")
            #expect(try await registry.send(.HEAD, "/v2/bad/blobs/\(wrong)").status == 404)
            #expect(try await registry.send(.HEAD, "/v2/bad/blobs/\(TestRegistry.sha256(bytes))").status == 404)
            #expect(registry.files(under: "blobs").isEmpty)
            #expect(registry.files(under: "uploads").isEmpty)
        }
    }

    @Test func cancelDeletesTheUpload() async throws {
        try await withRegistry { registry in
            let location = try #require(try await registry.send(.POST, "/v2/c/blobs/uploads/").header("Location"))
            _ = try await registry.send(.PATCH, location, body: [1, 2, 3])
            #expect(try await registry.send(.DELETE, location).status == 204)
            let gone = try await registry.send(.GET, location)
            #expect(gone.status == 404)
            #expect(gone.errorCode == "BLOB_UPLOAD_UNKNOWN")
            #expect(registry.files(under: "uploads").isEmpty)
        }
    }

    @Test func unknownUploadIsBlobUploadUnknown() async throws {
        try await withRegistry { registry in
            let reply = try await registry.send(.PATCH, "/v2/c/blobs/uploads/00000000-0000-0000-0000-000000000000", body: [1])
            #expect(reply.status == 404)
            #expect(reply.errorCode == "BLOB_UPLOAD_UNKNOWN")
            let traversal = try await registry.send(.GET, "/v2/c/blobs/uploads/..%2F..")
            #expect(traversal.status == 404)
        }
    }

    @Test func tooManyOpenUploadsIsTooManyRequests() async throws {
        try await withRegistry({ config, _ in config.maxUploads = 1 }) { registry in
            let location = try #require(try await registry.send(.POST, "/v2/busy/blobs/uploads/").header("Location"))
            let second = try await registry.send(.POST, "/v2/busy/blobs/uploads/")
            #expect(second.status == 429)
            #expect(second.errorCode == "TOOMANYREQUESTS")
            _ = try await registry.send(.DELETE, location)
            #expect(try await registry.send(.POST, "/v2/busy/blobs/uploads/").status == 202)
        }
    }

    @Test func putWithoutDigestIsDigestInvalid() async throws {
        try await withRegistry { registry in
            let location = try #require(try await registry.send(.POST, "/v2/c/blobs/uploads/").header("Location"))
            let reply = try await registry.send(.PUT, location, body: [1])
            #expect(reply.status == 400)
            #expect(reply.errorCode == "DIGEST_INVALID")
        }
    }

    @Test func uploadSurvivesARestartAndResumes() async throws {
        let first = try await TestRegistry.start()
        let bytes = TestRegistry.randomBytes(20_000)
        let location = try #require(try await first.send(.POST, "/v2/resume/blobs/uploads/").header("Location"))
        _ = try await first.send(.PATCH, location, body: Array(bytes[..<8_000]))
        let store = first.store
        // A second server on the same root knows the upload (its hash is recomputed at the end).
        let second = try await TestRegistry.start { config, _ in config.root = store }
        let status = try await second.send(.GET, location)
        #expect(status.header("Range") == "0-7999")
        let put = try await second.send(.PUT, "\(location)?digest=\(TestRegistry.sha256(bytes))",
                                         headers: [("Content-Range", "8000-19999")], body: Array(bytes[8_000...]))
        #expect(put.status == 201)
        #expect(try await second.send(.GET, "/v2/resume/blobs/\(TestRegistry.sha256(bytes))").body == bytes)
        await second.stop()
        await first.stop()
    }
}
