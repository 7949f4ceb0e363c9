import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// The layout type of this oci-image-tool: `imageLayout` (1.0 and later) or `image` (1.0.0-rc1, Debian's).
let xferLayoutType: String = {
    let help = (try? layerShell("oci-image-tool validate --help 2>&1")) ?? ""
    return help.contains("imageLayout") ? "imageLayout" : "image"
}()

/// Runs `oci-image-tool validate` on the layout at `dir`, throwing with its output on failure.
func xferValidateLayout(_ dir: String) throws {
    try layerRun(["/usr/bin/env", "oci-image-tool", "validate", "--type", xferLayoutType, dir])
}

/// Seeds busybox and one imported image (distinct tags, so `oci:DIR:TAG` is unambiguous) and saves them as an OCI layout.
func xferSavedLayout(_ store: ImageStore, _ root: String) throws -> String {
    try BaseImage.busybox(in: store)
    let layer = try xferLayer(root + "/in", "app.tar.gz", files: ["app/run": "#!/bin/sh\necho app\n"], gzip: true)
    try store.importRootfs(tarballAt: layer, reference: try ImageReference(parsing: "example.com/app/one:v1"))
    let layout = root + "/layout"
    try store.save(["busybox", "example.com/app/one:v1"], to: layout, format: .ociLayout)
    return layout
}

@Suite("interop with oci-image-tool, skopeo, umoci and dockerd's archives", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"), "needs busybox-static at /bin/busybox"))
struct InteropToolTests {
    @Test(.enabled(if: xferHasTool("oci-image-tool"), "oci-image-tool is not installed (apt-get install oci-image-tool)"))
    func ociImageToolValidatesBerthsLayout() async throws {
        try await withImageStore { store, root in
            let layout = try xferSavedLayout(store, root)
            try xferValidateLayout(layout)
            try layerRun(["/usr/bin/env", "oci-image-tool", "validate", "--type", xferLayoutType, "--ref", "name=v1", layout])
            try layerRun(["/usr/bin/env", "oci-image-tool", "validate", "--type", xferLayoutType, "--ref", "name=latest", layout])
        }
    }

    @Test(.enabled(if: xferHasTool("skopeo"), "skopeo is not installed"))
    func skopeoReadsBerthsLayoutAndBerthLoadsSkopeosCopy() async throws {
        try await withImageStore { store, root in
            let layout = try xferSavedLayout(store, root)
            let busybox = try store.resolve("busybox")
            try layerRun(["/usr/bin/env", "skopeo", "copy", "oci:\(layout):latest", "dir:\(root)/dir-copy"])
            #expect(FileManager.default.fileExists(atPath: root + "/dir-copy/manifest.json"))
            #expect(FileManager.default.fileExists(atPath: root + "/dir-copy/" + busybox.layers[0].digest.encoded))

            // The tar form of the layout is what skopeo calls oci-archive.
            try store.save(["example.com/app/one:v1"], to: root + "/layout.tar", format: .ociArchive)
            try layerRun(["/usr/bin/env", "skopeo", "copy", "oci-archive:\(root)/layout.tar:v1", "dir:\(root)/dir-copy2"])
            #expect(FileManager.default.fileExists(atPath: root + "/dir-copy2/manifest.json"))

            try layerRun(["/usr/bin/env", "skopeo", "copy", "oci:\(layout):latest", "oci:\(root)/other:tag2"])
            let other = try ImageStore(root: root + "/store2", platform: Platform(architecture: "amd64", os: "linux"))
            let loaded = try other.load(from: root + "/other", defaultRepository: "example.com/copied")
            #expect(loaded.map(\.names) == [["example.com/copied:tag2"]])
            let copy = try other.resolve("example.com/copied:tag2")
            #expect(copy.config == busybox.config)
            #expect(copy.id == busybox.id)

            // Without a repository for a bare tag the image is kept, dangling.
            let third = try ImageStore(root: root + "/store3", platform: Platform(architecture: "amd64", os: "linux"))
            let unnamed = try third.load(from: root + "/other")
            #expect(unnamed.map(\.names) == [[]])
            #expect(try third.list(includeDangling: true).count == 1)
        }
    }

    @Test(.enabled(if: xferHasTool("umoci"), "umoci is not installed (apt-get install umoci)"))
    func berthLoadsAnUmociLayout() async throws {
        try await withImageStore { store, root in
            let layout = root + "/umoci"
            // `umoci raw add-layer` (umoci 0.4.7's `insert` writes tars without their end blocks,
            // which GNU tar refuses as well) gzips our tar and records its diff ID.
            let layer = try xferLayer(root + "/in", "hello.tar", files: ["hello": "hi from umoci\n"])
            try layerShell("umoci init --layout '\(layout)' && umoci new --image '\(layout):t' && umoci raw add-layer --image '\(layout):t' '\(layer)' && umoci config --image '\(layout):t' --config.cmd /hello")
            let loaded = try store.load(from: layout, defaultRepository: "example.com/umoci")
            #expect(loaded.map(\.names) == [["example.com/umoci:t"]])
            let image = try store.resolve("example.com/umoci:t")
            #expect(image.config.config?.cmd == ["/hello"])
            #expect(image.layers.count == 1)
            if storeIsRoot {
                let chain = try store.unpack(image)
                #expect(try String(contentsOfFile: store.snapshots.fsPath(for: chain[0]) + "/hello", encoding: .utf8) == "hi from umoci\n")
            }
        }
    }

    @Test func legacyDockerArchiveLoads() async throws {
        try await withImageStore { store, root in
            let a = try xferLayer(root + "/in", "a.tar.gz", files: ["etc/a": "a\n"], gzip: true)
            let b = try xferLayer(root + "/in", "b.tar", files: ["etc/b": "b\n"])
            // The third layer repeats the first: docker writes it once and links the second copy.
            let fixture = try xferLegacyArchive(root + "/in", layerFiles: [a, b, a], repoTag: "legacy:v1")
            let loaded = try store.load(from: fixture.archive)
            #expect(loaded.map(\.names) == [["docker.io/library/legacy:v1"]])
            let image = try store.resolve("legacy:v1")
            #expect(image.id == fixture.config)
            #expect(image.diffIDs == fixture.diffIDs)
            #expect(image.layers.map(\.mediaType) == [MediaType.ociLayerGzip, MediaType.ociLayer, MediaType.ociLayerGzip])
            #expect(image.layers[0].digest == (try xferDigest(ofFile: a)))
            if storeIsRoot {
                let chain = try store.unpack(image)
                #expect(chain.count == 3)
                #expect(FileManager.default.fileExists(atPath: store.snapshots.fsPath(for: chain[1]) + "/etc/b"))
            }
        }
    }

    @Test func docker25ArchiveLoadsWithItsDigests() async throws {
        try await withImageStore { store, root in
            let fixture = try xferDocker25Archive(root + "/in", files: ["bin/x": "x"], name: "new:v25")
            let loaded = try store.load(from: fixture.archive)
            #expect(loaded.map(\.names) == [["docker.io/library/new:v25"]])
            let image = try store.resolve("new:v25")
            #expect(image.id == fixture.config)
            #expect(image.layers.map(\.digest) == fixture.diffIDs)
            #expect(image.config.config?.cmd == ["/bin/true"])
        }
    }

    @Test func indexIsKeptWholeAndTheStorePlatformIsPicked() async throws {
        try await withImageStore { store, root in
            // An index listing an arm64 manifest whose blobs are absent, and a nested index with amd64.
            let staging = root + "/multi"
            let layerBytes = Array(try Data(contentsOf: URL(fileURLWithPath: try xferLayer(root + "/in", "l.tar", files: ["amd64": "yes"]))))
            let layer = try xferWriteBlob(staging, layerBytes)
            let config = try xferConfig(diffIDs: [layer])
            let configDigest = try xferWriteBlob(staging, config)
            let manifest = Array(try Manifest(
                config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)),
                layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer, size: Int64(layerBytes.count))]).encoded())
            let amd64 = Descriptor(mediaType: MediaType.ociManifest, digest: try xferWriteBlob(staging, manifest), size: Int64(manifest.count),
                                   platform: Platform(architecture: "amd64", os: "linux"))
            let arm64 = Descriptor(mediaType: MediaType.ociManifest, digest: Digester.digest(of: Array("absent".utf8)), size: 6,
                                   platform: Platform(architecture: "arm64", os: "linux"))
            let inner = Array(try Index(manifests: [amd64]).encoded())
            let innerDigest = try xferWriteBlob(staging, inner)
            let outer = Array(try Index(manifests: [arm64, Descriptor(mediaType: MediaType.ociIndex, digest: innerDigest, size: Int64(inner.count))]).encoded())
            let outerDigest = try xferWriteBlob(staging, outer)
            let top = Descriptor(mediaType: MediaType.ociIndex, digest: outerDigest, size: Int64(outer.count),
                                 annotations: [ImageAnnotation.refName: "example.com/multi:1"])
            try xferWrite(staging + "/index.json", Array(try Index(manifests: [top]).encoded()))
            try xferWrite(staging + "/oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))

            try store.load(from: staging)
            let image = try store.resolve("example.com/multi:1")
            #expect(image.target.digest == outerDigest)
            #expect(image.manifestDescriptor.digest == amd64.digest)
            #expect(store.content.exists(outerDigest) && store.content.exists(innerDigest))
            #expect(try store.metadata.indexChildren(of: outerDigest).map(\.manifest) == [arm64.digest, innerDigest])

            // Saving writes the amd64 manifest alone (the index is incomplete here), and it validates.
            try store.save(["example.com/multi:1"], to: root + "/resaved", format: .ociLayout)
            let index = try Index.decode(from: Data(contentsOf: URL(fileURLWithPath: root + "/resaved/index.json")))
            #expect(index.manifests.map(\.digest) == [amd64.digest])
            if xferHasTool("oci-image-tool") {
                try xferValidateLayout(root + "/resaved")
            }
        }
    }
}
