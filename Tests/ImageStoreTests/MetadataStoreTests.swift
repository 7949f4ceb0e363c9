import Foundation
import ImageStore
import OCI
import Testing

@Suite("Metadata store")
struct MetadataStoreTests {
    static let indexA = Descriptor(mediaType: MediaType.ociIndex, digest: Digester.digest(of: Array("index A".utf8)), size: 100)
    static let manifestB = Descriptor(mediaType: MediaType.ociManifest, digest: Digester.digest(of: Array("manifest B".utf8)), size: 200)

    @Test func putGetListDelete() async throws {
        try await StoreTempRoot.with { root in
            let store = try MetadataStore(root: root)
            try store.putImage(name: "docker.io/library/alpine:3.20", target: Self.indexA, labels: ["a": "1"])
            try store.putImage(name: "docker.io/library/busybox:latest", target: Self.manifestB)
            let alpine = try #require(try store.image(named: "docker.io/library/alpine:3.20"))
            #expect(alpine.target == Self.indexA)
            #expect(alpine.labels == ["a": "1"])
            #expect(try store.images().compactMap(\.name) == ["docker.io/library/alpine:3.20", "docker.io/library/busybox:latest"])
            try store.deleteImage(named: "docker.io/library/alpine:3.20")
            #expect(try store.image(named: "docker.io/library/alpine:3.20") == nil)
            // The last name went with its image: nothing dangling.
            #expect(try store.danglingImages().isEmpty)
            #expect(throws: MetadataError.imageNotFound("nope")) { try store.deleteImage(named: "nope") }
        }
    }

    @Test func tagCopiesAndUntagLeavesDangling() async throws {
        try await StoreTempRoot.with { root in
            let store = try MetadataStore(root: root)
            try store.putImage(name: "docker.io/library/app:1", target: Self.indexA)
            try store.tag(source: "docker.io/library/app:1", target: "registry.local/app:prod")
            #expect(try store.image(named: "registry.local/app:prod")?.target == Self.indexA)
            // Copy semantics: moving the source leaves the copy where it was.
            try store.putImage(name: "docker.io/library/app:1", target: Self.manifestB)
            #expect(try store.image(named: "registry.local/app:prod")?.target == Self.indexA)
            #expect(try store.danglingImages().isEmpty)

            try store.untag("registry.local/app:prod")
            let dangling = try store.danglingImages()
            #expect(dangling.map(\.target.digest) == [Self.indexA.digest])
            #expect(dangling.allSatisfy { $0.isDangling })
            #expect(try store.images().count == 1)
            #expect(try store.images(includeDangling: true).count == 2)
            // Naming it again clears the dangling record.
            try store.putImage(name: "registry.local/app:again", target: Self.indexA)
            #expect(try store.danglingImages().isEmpty)
            #expect(throws: MetadataError.imageNotFound("missing:1")) { try store.tag(source: "missing:1", target: "x:1") }
        }
    }

    @Test func retaggingLeavesTheOldImageDangling() async throws {
        try await StoreTempRoot.with { root in
            let store = try MetadataStore(root: root)
            try store.putImage(name: "docker.io/library/app:latest", target: Self.indexA)
            try store.putImage(name: "docker.io/library/app:latest", target: Self.manifestB)
            #expect(try store.danglingImages().map(\.target.digest) == [Self.indexA.digest])
            #expect(try store.deleteImage(digest: Self.indexA.digest) == [])
            #expect(try store.danglingImages().isEmpty)
        }
    }

    @Test func removingAnImageAContainerUsesIsRefusedUnlessForced() async throws {
        try await StoreTempRoot.with { root in
            let store = try MetadataStore(root: root)
            let name = "docker.io/library/web:1"
            try store.putImage(name: name, target: Self.indexA)
            try store.putIndex(digest: Self.indexA.digest, children: [(Self.manifestB.digest, "linux/amd64")])
            let config = Digester.digest(of: Array("config".utf8))
            try store.putManifest(ManifestRecord(digest: Self.manifestB.digest, mediaType: MediaType.ociManifest, size: 200, config: config, layers: []))
            // The container references the config (docker's image ID), below the index.
            try store.addReference(kind: .container, id: "c0ffee", target: config)

            #expect(throws: MetadataError.inUse(image: name, container: "c0ffee")) { try store.deleteImage(named: name) }
            #expect(throws: MetadataError.inUse(image: name, container: "c0ffee")) { try store.untag(name) }
            #expect(try store.image(named: name) != nil)
            // Another name for the same image: untagging one of them is fine.
            try store.tag(source: name, target: "docker.io/library/web:stable")
            try store.untag("docker.io/library/web:stable")
            // Forced: the name goes, the image stays as a dangling record the container still uses.
            try store.deleteImage(named: name, force: true)
            #expect(try store.image(named: name) == nil)
            #expect(try store.danglingImages().map(\.target.digest) == [Self.indexA.digest])
            #expect(try store.imagesReferencing(digest: config).map(\.target.digest) == [Self.indexA.digest])
            // Once the container is gone nothing is in use.
            #expect(try store.removeReference(kind: .container, id: "c0ffee") == 1)
            try store.putImage(name: name, target: Self.indexA)
            try store.deleteImage(named: name)
            #expect(try store.images(includeDangling: true).isEmpty)
        }
    }

    @Test func everythingPersistsAcrossReopening() async throws {
        try await StoreTempRoot.with { root in
            let layer = LayerRecord(
                blob: Descriptor(mediaType: MediaType.ociLayerGzip, digest: Digester.digest(of: [1]), size: 1),
                diffID: Digester.digest(of: [2]), chainID: Digester.digest(of: [2]))
            let config = Digester.digest(of: [3])
            do {
                let store = try MetadataStore(root: root)
                try store.putImage(name: "docker.io/library/a:1", target: Self.manifestB, labels: ["k": "v"])
                try store.putManifest(ManifestRecord(digest: Self.manifestB.digest, mediaType: MediaType.ociManifest, size: 200,
                                                     config: config, platform: "linux/amd64", layers: [layer]))
                try store.putSnapshot(SnapshotRecord(chainID: layer.chainID, parent: nil, size: 4096))
                try store.addReference(kind: .build, id: "b1", target: layer.chainID)
            }
            let reopened = try MetadataStore(root: root)
            #expect(try reopened.image(named: "docker.io/library/a:1")?.labels == ["k": "v"])
            let manifest = try #require(try reopened.manifest(digest: Self.manifestB.digest))
            #expect(manifest.layers == [layer])
            #expect(manifest.platform == "linux/amd64")
            #expect(try reopened.snapshot(chainID: layer.chainID)?.size == 4096)
            #expect(try reopened.references(kind: .build).map(\.id) == ["b1"])
            #expect(try reopened.imagesReferencing(digest: layer.blob.digest).compactMap(\.name) == ["docker.io/library/a:1"])
            #expect(try reopened.imagesReferencing(digest: layer.chainID).count == 1)
            #expect(try reopened.imagesReferencing(digest: Self.indexA.digest).isEmpty)
        }
    }
}
