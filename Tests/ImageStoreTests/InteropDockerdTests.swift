// Interop with a real dockerd (Debian's docker.io): `docker save` output loads into
// Berth, and Berth's docker-archive loads into dockerd. dockerd runs on a private
// data root and socket with no bridge, iptables or masquerading, so it touches no
// host network state; the test stops it by pid and removes everything it made.
import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// A dockerd on a temporary root, stopped and removed by `stop()`.
final class PrivateDockerd {
    let dir: String
    let process = Process()
    var env: [String: String] { ["DOCKER_HOST": "unix://\(dir)/docker.sock", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"] }

    init() throws {
        dir = "/tmp/berth-dockerd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/root", withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dockerd")
        process.arguments = ["--data-root", dir + "/root", "--exec-root", dir + "/exec", "-H", "unix://\(dir)/docker.sock",
                             "--pidfile", dir + "/pid", "--bridge=none", "--iptables=false", "--ip6tables=false",
                             "--ip-masq=false", "--storage-driver=vfs"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        for _ in 0..<300 {
            if (try? docker(["version", "--format", "{{.Server.Version}}"])) != nil { return }
            usleep(100_000)
        }
        stop()
        throw LayerTestError("dockerd did not come up")
    }

    @discardableResult
    func docker(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["docker"] + args
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw LayerTestError("docker \(args.joined(separator: " ")): \(String(decoding: e, as: UTF8.self))")
        }
        return String(decoding: o, as: UTF8.self)
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<200 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        // vfs layers and containerd state may hold mounts under the root: unmount before removing.
        if let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) {
            for line in mounts.split(separator: "\n").reversed() {
                let fields = line.split(separator: " ")
                if fields.count > 4, fields[4].hasPrefix(dir) { umount2(String(fields[4]), Int32(MNT_DETACH)) }
            }
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dockerd")
                          && FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                          "needs root, dockerd (apt-get install docker.io) and busybox-static"))
struct InteropDockerdTests {
    @Test func dockerSaveLoadsIntoBerthAndBerthSaveLoadsIntoDocker() async throws {
        let dockerd = try PrivateDockerd()
        defer { dockerd.stop() }
        try await withImageStore { store, root in
            // docker import of a busybox rootfs, then docker save (legacy docker-archive layout).
            let rootfs = root + "/rootfs"
            try FileManager.default.createDirectory(atPath: rootfs + "/bin", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
            try FileManager.default.createSymbolicLink(atPath: rootfs + "/bin/sh", withDestinationPath: "busybox")
            try layerShell("tar -C \(rootfs) -cf \(root)/rootfs.tar .")
            let imported = try dockerd.docker(["import", "-c", "CMD [\"sh\"]", root + "/rootfs.tar", "realdocker/busybox:1"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try dockerd.docker(["save", "-o", root + "/docker-save.tar", "realdocker/busybox:1"])

            let loaded = try store.load(from: root + "/docker-save.tar")
            #expect(loaded.first?.names == ["docker.io/realdocker/busybox:1"])
            let image = try store.resolve("realdocker/busybox:1")
            // Docker's image ID is the config digest: Berth keeps the config byte for byte.
            #expect(image.id.string == imported)
            #expect(image.config.config?.cmd == ["sh"])
            #expect(image.diffIDs.count == 1)

            // And back: Berth's docker-archive loads into dockerd under a new name.
            _ = try store.tag("realdocker/busybox:1", as: "berth/roundtrip:2")
            try store.save(["berth/roundtrip:2"], to: root + "/berth-save.tar", format: .dockerArchive)
            let output = try dockerd.docker(["load", "-i", root + "/berth-save.tar"])
            #expect(output.contains("berth/roundtrip:2"))
            let id = try dockerd.docker(["image", "inspect", "--format", "{{.Id}}", "berth/roundtrip:2"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id == imported)
        }
    }
}
