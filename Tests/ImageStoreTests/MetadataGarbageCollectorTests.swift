import Foundation
import ImageStore
import OCI
import Testing

@Suite("Garbage collection")
struct MetadataGarbageCollectorTests {
    /// Stores an image (index → manifest → config + layers) and commits its snapshots;
    /// returns the index descriptor, every blob digest and the chain IDs (base first).
    static func storeImage(_ tag: String, content: ContentStore, snapshots: SnapshotStore) throws
        -> (index: Descriptor, blobs: Set<Digest>, chain: [Digest]) {
        var layers: [Descriptor] = []
        var diffIDs: [Digest] = []
        for n in 0..<2 {
            let bytes = Array("\(tag) layer \(n)".utf8)
            layers.append(try content.write(bytes: bytes, mediaType: MediaType.ociLayer))
            diffIDs.append(Digester.digest(of: bytes))
        }
        let config = ImageConfig(architecture: "amd64", os: "linux", rootfs: RootFS(diffIDs: diffIDs))
        let configDescriptor = try content.write(bytes: Array(try config.encoded()), mediaType: MediaType.ociConfig)
        let manifest = Manifest(config: configDescriptor, layers: layers)
        let manifestDescriptor = try content.write(bytes: Array(try manifest.encoded()), mediaType: MediaType.ociManifest)
        var child = manifestDescriptor
        child.platform = Platform(architecture: "amd64", os: "linux")
        let index = try content.write(bytes: Array(try Index(manifests: [child]).encoded()), mediaType: MediaType.ociIndex)
        let chain = ChainID.compute(diffIDs: diffIDs)
        for (n, chainID) in chain.enumerated() where !snapshots.exists(chainID: chainID) {
            _ = try snapshots.prepare(key: "\(tag)-\(n)", parent: n == 0 ? nil : chain[n - 1])
            try snapshots.commit(key: "\(tag)-\(n)", as: chainID)
        }
        let blobs = Set(layers.map(\.digest) + [configDescriptor.digest, manifestDescriptor.digest, index.digest])
        return (index, blobs, chain)
    }

    @Test func removesOnlyWhatNothingReferences() async throws {
        try await StoreTempRoot.with { root in
            let content = try ContentStore(root: root)
            let snapshots = try SnapshotStore(root: root)
            let metadata = try MetadataStore(root: root)

            let kept = try Self.storeImage("kept", content: content, snapshots: snapshots)
            try metadata.putImage(name: "docker.io/library/kept:1", target: kept.index)
            let used = try Self.storeImage("used", content: content, snapshots: snapshots)
            try metadata.addReference(kind: .container, id: "ctr1", target: used.index.digest)
            let building = try Self.storeImage("building", content: content, snapshots: snapshots)
            try metadata.addReference(kind: .build, id: "b1", target: building.chain[1])
            let leased = try content.write(bytes: Array("pulled, not yet named".utf8), mediaType: MediaType.ociLayerGzip)
            try metadata.addReference(kind: .lease, id: "pull-1", target: leased.digest)
            let garbage = try Self.storeImage("garbage", content: content, snapshots: snapshots)
            try metadata.putSnapshot(SnapshotRecord(chainID: garbage.chain[0], parent: nil, size: 1))
            let stray = try content.write(bytes: Array("stray".utf8), mediaType: "text/plain")
            // An ingest in flight: a temp file under ingest/ is never considered.
            let inFlight = content.ingestDirectory + "/inflight.partial"
            _ = FileManager.default.createFile(atPath: inFlight, contents: Data([1, 2, 3]))
            // A snapshot being prepared is never considered either.
            let active = try snapshots.prepare(key: "extracting", parent: nil)

            let result = try GarbageCollector.collect(content: content, metadata: metadata, snapshots: snapshots)

            // The build holds snapshots, not the blobs of its image.
            #expect(Set(result.removedBlobs) == garbage.blobs.union(building.blobs).union([stray.digest]))
            #expect(Set(result.removedSnapshots) == Set(garbage.chain))
            #expect(result.blobBytes > 0 && result.snapshotBytes > 0)
            for digest in kept.blobs.union(used.blobs).union([leased.digest]) { #expect(content.exists(digest)) }
            for chainID in kept.chain + used.chain + building.chain { #expect(snapshots.exists(chainID: chainID)) }
            for digest in garbage.blobs { #expect(!content.exists(digest)) }
            #expect(try metadata.snapshot(chainID: garbage.chain[0]) == nil)
            #expect(FileManager.default.fileExists(atPath: inFlight))
            #expect(FileManager.default.fileExists(atPath: active.fs))

            // Nothing left to collect; dropping the references frees the rest.
            #expect(try GarbageCollector.collect(content: content, metadata: metadata, snapshots: snapshots) == GCResult())
            try metadata.removeReference(kind: .container, id: "ctr1")
            try metadata.removeReference(kind: .build, id: "b1")
            try metadata.removeReference(kind: .lease, id: "pull-1")
            try metadata.deleteImage(named: "docker.io/library/kept:1")
            let second = try GarbageCollector.collect(content: content, metadata: metadata, snapshots: snapshots)
            #expect(second.removedSnapshots.count == 6)
            #expect(try content.list().isEmpty)
            #expect(try snapshots.list().isEmpty)
        }
    }

    @Test func anUnreadableReachableManifestStopsCollection() async throws {
        try await StoreTempRoot.with { root in
            let content = try ContentStore(root: root)
            let snapshots = try SnapshotStore(root: root)
            let metadata = try MetadataStore(root: root)
            let bogus = try content.write(bytes: Array("{\"schemaVersion\": 1}".utf8), mediaType: MediaType.ociManifest)
            let stray = try content.write(bytes: Array("stray".utf8), mediaType: "text/plain")
            try metadata.putImage(name: "docker.io/library/broken:1", target: bogus)
            #expect(throws: GCError.self) {
                try GarbageCollector.collect(content: content, metadata: metadata, snapshots: snapshots)
            }
            #expect(content.exists(stray.digest))
        }
    }
}
