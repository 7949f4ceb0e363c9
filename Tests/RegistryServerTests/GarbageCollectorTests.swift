import Foundation
import OCI
import Testing
@testable import RegistryServer

@Suite struct GarbageCollectorTests {
    @Test func removesUnreferencedBlobsAndKeepsReferencedOnes() async throws {
        try await withRegistry { registry in
            let (manifest, _) = try await registry.pushImage("kept", tag: "v1", layers: [[1, 2, 3]])
            let orphan = try await registry.pushBlob("kept", Array("orphan".utf8))
            let collector = try GarbageCollector(root: registry.store)
            // Blobs are young: within the grace period nothing goes.
            #expect(try collector.run(dryRun: false).removedBlobs.isEmpty)
            let later = Date().addingTimeInterval(3600)
            let dry = try collector.run(dryRun: true, now: later)
            #expect(dry.removedBlobs == [orphan])
            #expect(registry.files(under: "blobs").contains("sha256/\(orphan.encoded)"))
            let report = try collector.run(dryRun: false, now: later)
            #expect(report.removedBlobs == [orphan])
            #expect(report.marked == 3)
            #expect(!registry.files(under: "blobs").contains("sha256/\(orphan.encoded)"))
            #expect(try await registry.send(.HEAD, "/v2/kept/blobs/\(orphan)").status == 404)
            // The image is whole.
            #expect(try await registry.send(.GET, "/v2/kept/manifests/v1").status == 200)
            #expect(try await registry.send(.GET, "/v2/kept/manifests/\(manifest)").status == 200)
            #expect(try await registry.send(.GET, "/v2/kept/blobs/\(TestRegistry.sha256([1, 2, 3]))").status == 200)
        }
    }

    @Test func deletedManifestFreesItsBlobsAndOldUploadsGo() async throws {
        try await withRegistry { registry in
            let (manifest, _) = try await registry.pushImage("gone", tag: "v1", layers: [[9, 9]])
            #expect(try await registry.send(.DELETE, "/v2/gone/manifests/\(manifest)").status == 202)
            let location = try #require(try await registry.send(.POST, "/v2/gone/blobs/uploads/").header("Location"))
            _ = try await registry.send(.PATCH, location, body: [1])
            let report = try GarbageCollector(root: registry.store).run(dryRun: false, now: Date().addingTimeInterval(2 * 86_400))
            #expect(report.removedBlobs.count == 3)
            #expect(report.removedUploads.count == 1)
            #expect(registry.files(under: "blobs").isEmpty)
            #expect(registry.files(under: "uploads").isEmpty)
            // The server forgets the collected upload.
            let gone = try await registry.send(.PATCH, location, body: [2])
            #expect(gone.errorCode == "BLOB_UPLOAD_UNKNOWN")
        }
    }
}
