import Foundation
import Glibc
import ImageStore
import OCI
import Testing

@Suite("the ImageStore facade: names, removal rules, unpack, gc", .serialized)
struct ImageStoreFacadeTests {
    @Test func tagUntagListAndResolveByNameOrDigest() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "r.tar", files: ["f": "1"])
            let digest = try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "alpha"))
            try store.tag("alpha", as: "registry.example:5000/team/beta:2")
            #expect(try store.list().compactMap(\.name) == ["docker.io/library/alpha:latest", "registry.example:5000/team/beta:2"])
            #expect(try store.resolve("registry.example:5000/team/beta:2").target.digest == digest)
            #expect(try store.resolve(digest.string).target.digest == digest)
            #expect(try store.resolve(try ImageReference(parsing: "alpha:latest")).name == "docker.io/library/alpha:latest")
            try store.untag("alpha")
            #expect(try store.list().compactMap(\.name) == ["registry.example:5000/team/beta:2"])
            #expect(throws: ImageStoreError.imageNotFound("alpha")) { try store.resolve("alpha") }
            #expect(throws: ImageStoreError.self) { try store.tag("registry.example:5000/team/beta:2", as: "Not Valid") }
        }
    }

    @Test func removeFollowsDockersRules() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "r.tar", files: ["f": "1"])
            let digest = try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "one"))
            try store.tag("one", as: "two")
            // One of two names: only untagged.
            #expect(try store.remove(name: "one") == ["docker.io/library/one:latest"])
            #expect(try store.resolve("two").target.digest == digest)
            // In use by a container: refused, unless forced (then kept dangling).
            try store.metadata.addReference(kind: .container, id: "c1", target: digest)
            #expect(throws: MetadataError.inUse(image: "docker.io/library/two:latest", container: "c1")) { try store.remove(name: "two") }
            #expect(try store.list().count == 1)
            try store.remove(name: "two", force: true)
            #expect(try store.list().isEmpty)
            #expect(try store.list(includeDangling: true).map(\.target.digest) == [digest])
            // gc keeps what the container holds, then frees it once released.
            #expect(try store.gc().removedBlobs.isEmpty)
            try store.metadata.removeReference(kind: .container, id: "c1")
            try store.remove(name: digest.string)
            #expect(try store.list(includeDangling: true).isEmpty)
            #expect(try store.gc().removedBlobs.count == 3)
            #expect(try store.content.list().isEmpty)
        }
    }

    @Test func containerIDsCannotNameOtherPlaces() async throws {
        try await withImageStore { store, _ in
            for bad in ["", ".", "..", "../x", "a/b", "x y"] {
                #expect(throws: ImageStoreError.invalidContainerID(bad)) { try store.containerDirectory(bad) }
            }
            let directory = try store.containerDirectory("abc-1_2.3")
            #expect(directory == store.containersDirectory + "/abc-1_2.3")
        }
    }

    @Test(.enabled(if: storeIsRoot, "snapshots with device whiteouts need root"))
    func concurrentUnpacksOfOneImageAgree() async throws {
        try await withImageStore { store, root in
            let a = try xferLayer(root + "/in", "a.tar.gz", files: ["a": "1"], gzip: true)
            let b = try xferLayer(root + "/in", "b.tar", files: ["b": "2"])
            let fixture = try xferLegacyArchive(root + "/in", layerFiles: [a, b], repoTag: "two-layers:v1")
            try store.load(from: fixture.archive)
            let image = try store.resolve("two-layers:v1")
            let chains = try await withThrowingTaskGroup(of: [Digest].self) { group in
                for _ in 0..<4 { group.addTask { try store.unpack(image) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(chains).count == 1)
            #expect(try store.snapshots.activeKeys().isEmpty)
            #expect(try store.snapshots.list().count == 2)
            #expect(FileManager.default.fileExists(atPath: store.snapshots.fsPath(for: chains[0][0]) + "/b"))
        }
    }

    @Test(.enabled(if: storeIsRoot, "snapshots need root"))
    func unpackRefusesALayerWhoseBlobDoesNotMatchItsDiffID() async throws {
        try await withImageStore { store, root in
            let good = try xferLayer(root + "/in", "good.tar", files: ["a": "1"])
            let other = try xferLayer(root + "/in", "other.tar", files: ["b": "2"])
            let digest = try store.importRootfs(tarballAt: good, reference: try ImageReference(parsing: "lying"))
            var image = try store.resolve("lying")
            // A manifest claiming another blob under the right diff ID (as a hostile registry might).
            let otherBlob = try store.content.write(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: other))), mediaType: MediaType.ociLayer)
            image.manifest.layers = [otherBlob]
            #expect(throws: ImageStoreError.diffIDMismatch(layer: otherBlob.digest, expected: image.diffIDs[0], actual: try xferDigest(ofFile: other))) {
                try store.unpack(image)
            }
            #expect(try store.snapshots.list().isEmpty)
            #expect(try store.snapshots.activeKeys().isEmpty)
            _ = digest
        }
    }
}
