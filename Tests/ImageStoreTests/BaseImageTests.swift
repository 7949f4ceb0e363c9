import Foundation
import Glibc
import ImageStore
import OCI
import Testing

@Suite("the local busybox base image", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"), "needs busybox-static at /bin/busybox"))
struct BaseImageTests {
    @Test func busyboxIsDeterministicAndNamed() async throws {
        try await withImageStore { store, root in
            let first = try BaseImage.busybox(in: store)
            let other = try ImageStore(root: root + "/other", platform: Platform(architecture: "amd64", os: "linux"))
            let second = try BaseImage.busybox(in: other)
            #expect(first == second)
            let image = try store.resolve("busybox")
            #expect(image.name == BaseImage.busyboxName)
            #expect(image.target.digest == first)
            #expect(image.config.config?.cmd == ["sh"])
            #expect(image.config.config?.env?.first?.hasPrefix("PATH=") == true)
            #expect(image.layers.count == 1 && image.layers[0].mediaType == MediaType.ociLayerGzip)
        }
    }

    @Test(.enabled(if: storeIsRoot, "overlay mounts need root"))
    func busyboxMountsWithAShell() async throws {
        try await withImageStore { store, root in
            try BaseImage.busybox(in: store)
            let image = try store.resolve("busybox:latest")
            let target = root + "/rootfs"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try store.mountRootFS(image: image, containerID: "bb", target: target)
            defer { try? store.unmountRootFS(containerID: "bb", target: target) }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/bin/sh") == "busybox")
            #expect(FileManager.default.isExecutableFile(atPath: target + "/bin/busybox"))
            #expect(try String(contentsOfFile: target + "/etc/passwd", encoding: .utf8).hasPrefix("root:x:0:0:"))
            let tmp = try FileManager.default.attributesOfItem(atPath: target + "/tmp")[.posixPermissions] as? Int
            #expect(tmp == 0o1777)
            // The shell runs from the merged view.
            let out = try layerRun(["/usr/sbin/chroot", target, "/bin/sh", "-c", "echo hello from $(basename $0)"])
            #expect(String(decoding: out, as: UTF8.self) == "hello from sh\n")
            try store.unmountRootFS(containerID: "bb", target: target)
        }
    }
}
