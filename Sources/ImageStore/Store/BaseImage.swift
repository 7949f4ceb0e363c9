import Foundation
import Glibc
import OCI

/// Images Berth makes locally, without a registry.
public enum BaseImage {
    /// The time every file of a base image is clamped to (SOURCE_DATE_EPOCH), and its config's date:
    /// 2024-01-01T00:00:00Z. Fixed, so the same busybox binary always gives the same digests.
    public static let sourceDateEpoch: Int64 = 1_704_067_200

    /// The name `busybox` records: `docker.io/library/busybox:latest`.
    public static let busyboxName = "docker.io/library/busybox:latest"

    /// The `PATH` of the busybox image.
    public static let path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Builds the busybox base image from the static binary at `busybox` (Debian's busybox-static),
    /// as scripts/make-busybox-rootfs lays it out: /bin/busybox, one symlink per applet, /etc/passwd,
    /// /etc/group and the usual directories. The layer is written deterministically (sorted entries,
    /// mtimes clamped to `sourceDateEpoch`), so two builds give the same manifest digest. Records it
    /// as `busybox:latest` with `Cmd ["sh"]`; returns the manifest digest.
    @discardableResult
    public static func busybox(in store: ImageStore, busybox: String = "/bin/busybox") throws -> Digest {
        let work = try TransferFS.makeTempDirectory(in: store.root + "/tmp", prefix: "busybox")
        defer { try? StoreFS.removeTree(work) }
        let rootfs = work + "/rootfs", empty = work + "/empty", layerPath = work + "/layer.tar.gz"
        try makeDirectory(rootfs, mode: 0o755)
        try makeDirectory(empty, mode: 0o755)
        try makeBusyboxRootfs(rootfs, busybox: busybox)
        let result = try LayerDiffer().diff(
            .compare(directory: rootfs, lower: empty), toFileAt: layerPath, compression: .gzip, sourceDateEpoch: sourceDateEpoch)
        let diffID = try Digest(parsing: result.diffID)
        let created = Date(timeIntervalSince1970: Double(sourceDateEpoch))
        let createdText = ImageStore.rfc3339(created)
        let target = store.platform
        let config = ImageConfig(
            created: createdText, architecture: target.architecture, os: target.os, variant: target.variant,
            config: ContainerConfig(env: [path], cmd: ["sh"]), rootfs: RootFS(diffIDs: [diffID]),
            history: [
                History(created: createdText, createdBy: "berth: busybox rootfs from \(busybox)"),
                History(created: createdText, createdBy: "CMD [\"sh\"]", emptyLayer: true),
            ])
        return try store.writeLock.withLock {
            let info = try TransferFS.ingest(layerPath, into: store.content, expected: nil, expectedSize: nil, name: layerPath)
            let layer = Descriptor(mediaType: LayerCompression.gzip.ociMediaType, digest: info.digest, size: info.size)
            return try store.commitImage(layers: [layer], config: config, names: [busyboxName], createdAt: created).digest
        }
    }

    /// Lays out the busybox root filesystem in `dir` (an existing empty directory).
    static func makeBusyboxRootfs(_ dir: String, busybox: String) throws {
        for sub in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp", "root", "home", "home/app", "var", "var/tmp", "run"] {
            try makeDirectory(dir + "/" + sub, mode: sub.hasSuffix("tmp") ? 0o1777 : (sub == "root" ? 0o700 : 0o755))
        }
        _ = chown(dir + "/home/app", 1000, 1000)
        let binary = try TransferFS.read(busybox, limit: 64 << 20)
        try writeFile(dir + "/bin/busybox", Array(binary), mode: 0o755)
        for applet in try applets(busybox) where applet != "busybox" && !applet.contains("/") {
            guard symlink("busybox", dir + "/bin/" + applet) == 0 || errno == EEXIST else {
                throw TransferError.system(operation: "symlink", path: dir + "/bin/" + applet, errno: errno)
            }
        }
        try writeFile(dir + "/etc/passwd", Array("""
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000:app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false

            """.utf8), mode: 0o644)
        try writeFile(dir + "/etc/group", Array("""
            root:x:0:
            tty:x:5:
            app:x:1000:
            nogroup:x:65534:

            """.utf8), mode: 0o644)
    }

    /// `busybox --list`: the applet names, sorted.
    static func applets(_ busybox: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: busybox)
        process.arguments = ["--list"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TransferError.system(operation: "run", path: busybox, errno: ENOENT)
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TransferError.system(operation: "\(busybox) --list", path: busybox, errno: EIO) }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }.sorted()
    }

    private static func makeDirectory(_ path: String, mode: mode_t) throws {
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw TransferError.system(operation: "mkdir", path: path, errno: errno) }
        guard chmod(path, mode) == 0 else { throw TransferError.system(operation: "chmod", path: path, errno: errno) }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        try StoreFS.writeFile(path, bytes)
        guard chmod(path, mode) == 0 else { throw TransferError.system(operation: "chmod", path: path, errno: errno) }
    }
}
