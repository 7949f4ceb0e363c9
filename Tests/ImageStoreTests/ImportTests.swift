import Foundation
import Glibc
import ImageStore
import OCI
import Testing

@Suite("docker import of a rootfs tarball", .serialized)
struct ImportTests {
    @Test func importedTarballKeepsItsBytesAndGetsAConfig() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar.gz", files: ["bin/hello": "hi\n", "etc/motd": "welcome\n"], gzip: true)
            let reference = try ImageReference(parsing: "example.com/test/imported:v1")
            let changes = ImageChanges(cmd: ["/bin/hello"], env: ["A=1"], workingDir: "/etc", exposedPorts: ["80"], labels: ["k": "v"])
            let digest = try store.importRootfs(tarballAt: tarball, reference: reference, changes: changes,
                                                created: Date(timeIntervalSince1970: 1_700_000_000), source: "rootfs.tar.gz")
            let image = try store.resolve("example.com/test/imported:v1")
            #expect(image.target.digest == digest)
            #expect(image.layers.count == 1)
            #expect(image.layers[0].mediaType == MediaType.ociLayerGzip)
            #expect(image.layers[0].digest == (try xferDigest(ofFile: tarball)))
            let uncompressed = root + "/in/rootfs.tar"
            try layerShell("gzip -dc '\(tarball)' > '\(uncompressed)'")
            #expect(image.diffIDs == [try xferDigest(ofFile: uncompressed)])
            #expect(image.config.config?.cmd == ["/bin/hello"])
            #expect(image.config.config?.exposedPorts?["80/tcp"] != nil)
            #expect(image.config.config?.labels == ["k": "v"])
            #expect(image.config.created == "2023-11-14T22:13:20Z")
            #expect(image.config.history?.first?.comment == "Imported from rootfs.tar.gz")
            #expect(try store.list().map(\.name) == ["example.com/test/imported:v1"])
        }
    }

    @Test func importWithoutReferenceIsDangling() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar", files: ["a": "1"])
            let digest = try store.importRootfs(tarballAt: tarball)
            #expect(try store.list().isEmpty)
            #expect(try store.list(includeDangling: true).map(\.target.digest) == [digest])
            let image = try store.resolve(digest.string)
            #expect(image.layers[0].mediaType == MediaType.ociLayer)
            #expect(image.diffIDs == [image.layers[0].digest])
        }
    }

    @Test func corruptTarballIsRefusedAndNothingStored() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar.gz", files: ["a": String(repeating: "x", count: 100_000)], gzip: true)
            let size = try FileManager.default.attributesOfItem(atPath: tarball)[.size] as! Int
            truncate(tarball, off_t(size / 2))
            #expect(throws: TransferError.self) { try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "bad")) }
            #expect(try store.list(includeDangling: true).isEmpty)
            #expect(try store.content.list().isEmpty)
        }
    }

    @Test(.enabled(if: storeIsRoot, "overlay mounts need root"))
    func importedImageUnpacksAndMounts() async throws {
        try await withImageStore { store, root in
            let tarball = try xferLayer(root + "/in", "rootfs.tar.gz", files: ["bin/hello": "hi\n", "etc/motd": "welcome\n"], gzip: true)
            try store.importRootfs(tarballAt: tarball, reference: try ImageReference(parsing: "imported"))
            let image = try store.resolve("imported")
            let chain = try store.unpack(image)
            #expect(chain == image.chainIDs.reversed())
            #expect(try store.unpack(image) == chain)
            #expect(store.snapshots.exists(chainID: chain[0]))
            #expect(try store.metadata.snapshot(chainID: chain[0]) != nil)

            let target = root + "/mnt"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try store.mountRootFS(image: image, containerID: "c1", target: target)
            defer { try? store.unmountRootFS(containerID: "c1", target: target) }
            #expect(try String(contentsOfFile: target + "/etc/motd", encoding: .utf8) == "welcome\n")
            try Data("new".utf8).write(to: URL(fileURLWithPath: target + "/etc/new"))
            #expect(FileManager.default.fileExists(atPath: store.containersDirectory + "/c1/upper/etc/new"))
            #expect(throws: MetadataError.self) { try store.remove(name: "imported") }

            try store.unmountRootFS(containerID: "c1", target: target)
            #expect(!ContainerRootFS.isMounted(target))
            #expect(!FileManager.default.fileExists(atPath: store.containersDirectory + "/c1"))
            try store.remove(name: "imported")
            let collected = try store.gc()
            #expect(collected.removedSnapshots == chain)
            #expect(try store.content.list().isEmpty)
        }
    }
}
