import Foundation
import ImageStore
import OCI
import Testing

/// `resolve` keeps what it read per target digest (content-addressed, so it never changes);
/// garbage collection, which may take the blobs, empties it.
@Suite("resolved images are kept until a collection", .serialized)
struct ResolveCacheTests {
    @Test func anotherNameForTheSameTargetGetsItsOwnName() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar", files: ["a": "1"])
            let digest = try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "one:v1"))
            let first = try store.resolve("one:v1")
            try store.tag("one:v1", as: "two:v2")
            let second = try store.resolve("two:v2")
            #expect(second.name == "docker.io/library/two:v2")
            #expect(first.name == "docker.io/library/one:v1")
            #expect(second.target.digest == digest && second.config == first.config && second.manifest == first.manifest)
        }
    }

    @Test func aCollectedImageIsNotResolvedFromMemory() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar", files: ["b": "2"])
            _ = try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "gone:v1"))
            let record = try store.record(for: "gone:v1")
            _ = try store.resolve(record: record)
            _ = try store.remove(name: "gone:v1")
            try store.gc()
            #expect(throws: (any Error).self) { try store.resolve(record: record) }
        }
    }
}
