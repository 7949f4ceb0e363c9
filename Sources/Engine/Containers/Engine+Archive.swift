import DockerAPI
import Foundation
import Glibc
import ImageStore
import OCI

/// What `HEAD /containers/{id}/archive` reports (docker's `X-Docker-Container-Path-Stat`).
public struct PathStat: Codable, Sendable {
    public var name: String
    public var size: Int64
    /// Go's os.FileMode: permission bits plus type bits (dir 1<<31, symlink 1<<27, …).
    public var mode: UInt32
    public var mtime: String
    public var linkTarget: String
}

extension Engine {
    /// Runs `work` with the container's root mounted (its running mount, or a temporary one).
    func withRootFS<T: Sendable>(_ reference: String, _ work: @escaping @Sendable (String) throws -> T) async throws(EngineError) -> T {
        let record = try lookup(reference)
        let rootfs = configuration.bundle(record.id) + "/rootfs"
        let temporary = !record.isRunning
        if temporary {
            let image = try resolveImageForContainer(record)
            do {
                try await runBlocking { [images] in
                    try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
                    try images.remountRootFS(image: image, containerID: record.id, target: rootfs)
                }
            } catch {
                throw EngineError.system("mounting the root of \(record.shortID): \(error)")
            }
        }
        defer { if temporary { try? ContainerRootFS.unmount(rootfs) } }
        do { return try await Blocking.run { try work(rootfs) } } catch let error as EngineError { throw error } catch {
            throw EngineError.system("\(error)")
        }
    }

    /// `HEAD /containers/{id}/archive?path=`.
    public func statPath(_ reference: String, path: String) async throws(EngineError) -> PathStat {
        let record = try lookup(reference)
        return try await withRootFS(record.id) { rootfs in
            guard let host = RootfsPath.resolve(path, in: rootfs, followFinal: false) else {
                throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)")
            }
            var st = stat()
            guard lstat(host, &st) == 0 else { throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)") }
            return Self.pathStat(name: (path as NSString).lastPathComponent, host: host, st)
        }
    }

    static func pathStat(name: String, host: String, _ st: stat) -> PathStat {
        var mode = UInt32(st.st_mode & 0o777)
        switch st.st_mode & S_IFMT {
        case S_IFDIR: mode |= 1 << 31
        case S_IFLNK: mode |= 1 << 27
        case S_IFIFO: mode |= 1 << 25
        case S_IFSOCK: mode |= 1 << 24
        case S_IFCHR: mode |= (1 << 26) | (1 << 21)
        case S_IFBLK: mode |= 1 << 26
        default: break
        }
        if st.st_mode & S_ISUID != 0 { mode |= 1 << 23 }
        if st.st_mode & S_ISGID != 0 { mode |= 1 << 22 }
        if st.st_mode & S_ISVTX != 0 { mode |= 1 << 20 }
        var link = ""
        if st.st_mode & S_IFMT == S_IFLNK {
            var buffer = [CChar](repeating: 0, count: 4097)
            let n = readlink(host, &buffer, 4096)
            if n > 0 { link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        }
        let mtime = Timestamp(nanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
        return PathStat(name: name.isEmpty ? "/" : name, size: Int64(st.st_size), mode: mode, mtime: mtime.rfc3339, linkTarget: link)
    }

    /// `GET /containers/{id}/archive?path=`: a tar of the path (its base name at the top) in a
    /// temporary file, with its stat.
    public func archivePath(_ reference: String, path: String, into output: String) async throws(EngineError) -> PathStat {
        let record = try lookup(reference)
        return try await withRootFS(record.id) { rootfs in
            let followFinal = path.hasSuffix("/") || path.hasSuffix("/.")
            guard let host = RootfsPath.resolve(path, in: rootfs, followFinal: followFinal) else {
                throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)")
            }
            var st = stat()
            guard lstat(host, &st) == 0 else { throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)") }
            let parent = (host as NSString).deletingLastPathComponent
            let base = (host as NSString).lastPathComponent
            let result = try ChildProcess.run(["/bin/tar", "-C", parent, "--numeric-owner", "-cf", output, "--", base])
            guard result.succeeded else { throw EngineError.system("archiving \(path): \(result.output)") }
            return Self.pathStat(name: base, host: host, st)
        }
    }

    /// `PUT /containers/{id}/archive?path=`: extracts the tar at `archive` into the directory
    /// `path`; every entry stays inside the container's root.
    public func extractArchive(_ reference: String, path: String, archive: String) async throws(EngineError) {
        let record = try lookup(reference)
        if record.hostConfig.readonlyRootfs == true {
            throw EngineError(.forbidden, "container rootfs is marked read-only")
        }
        try await withRootFS(record.id) { rootfs in
            guard let host = RootfsPath.resolve(path, in: rootfs, followFinal: true) else {
                throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)")
            }
            var st = stat()
            guard stat(host, &st) == 0 else { throw EngineError(.notFound, "Could not find the file \(path) in container \(record.name)") }
            guard st.st_mode & S_IFMT == S_IFDIR else { throw EngineError(.invalidParameter, "extraction point is not a directory") }
            do {
                _ = try LayerApplier().apply(layerAt: archive, to: host, mode: .flattened)
            } catch {
                throw EngineError(.invalidParameter, "extracting the archive into \(path): \(error)")
            }
        }
    }

    /// `GET /containers/{id}/export`: the whole root as a tar in `output`.
    public func exportContainer(_ reference: String, into output: String) async throws(EngineError) {
        let record = try lookup(reference)
        let store = images
        try await withRootFS(record.id) { rootfs in
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw EngineError.system("creating \(output): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            try store.exportTree(rootfs, to: fd)
        }
        publish(record, "export")
    }

    /// `POST /commit`: the container's changes as a new image; returns its ID.
    public func commitContainer(_ reference: String, repository: String?, tag: String?, comment: String?, author: String?,
                                changes: ImageChanges, overrides: DockerAPI.ContainerConfig?, pause: Bool) async throws(EngineError) -> String {
        let record = try lookup(reference)
        let image = try resolveImageForContainer(record)
        var config = image.config.config ?? OCI.ContainerConfig()
        let c = overrides ?? record.config
        config.env = c.env ?? config.env
        config.cmd = c.cmd ?? config.cmd
        config.entrypoint = c.entrypoint ?? config.entrypoint
        config.workingDir = c.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? config.workingDir
        config.user = c.user.flatMap { $0.isEmpty ? nil : $0 } ?? config.user
        config.labels = c.labels ?? config.labels
        config.stopSignal = c.stopSignal ?? config.stopSignal
        config = changes.applied(to: config)
        var reference: ImageReference?
        if let repository, !repository.isEmpty {
            do { reference = try ImageReference(parsing: repository + ((tag ?? "").isEmpty ? "" : ":" + tag!)) } catch {
                throw EngineError.invalid("invalid reference format: \(repository)")
            }
        }
        let paused = pause && record.state.status == .running
        if paused { try? await freeze(record.id, pause: true) }
        defer { if paused { Task { try? await self.freeze(record.id, pause: false) } } }
        let store = images
        let createdBy = ([record.path] + record.args).joined(separator: " ")
        let finalConfig = config, finalReference = reference
        do {
            let digest = try await Blocking.run {
                try store.commitContainer(record.id, base: image, config: finalConfig, createdBy: createdBy,
                                          author: author, comment: comment, reference: finalReference)
            }
            let id = try store.resolve(digest.string).id.string
            publish(record, "commit")
            return id
        } catch {
            throw EngineError.system("committing \(record.shortID): \(error)")
        }
    }
}
