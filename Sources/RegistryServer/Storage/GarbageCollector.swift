import Foundation
import OCI

/// `berth-registry gc`: mark and sweep over the store.
///
/// Marks every manifest each repository holds and the config and layers they reference; sweeps
/// blobs nobody marked, with the repositories' links to them, and uploads untouched for longer than
/// `uploadMaxAge`. It runs holding the store lock exclusively (the server waits before it makes a
/// blob visible or records a manifest), and spares blobs written within `gracePeriod`, which a push
/// in progress may not have referenced yet.
public struct GarbageCollector: Sendable {
    /// What a run removed (or would remove, for a dry run).
    public struct Report: Sendable, CustomStringConvertible {
        /// Blobs referenced by some manifest.
        public var marked = 0
        /// Blobs removed.
        public var removedBlobs: [Digest] = []
        /// Bytes those blobs held.
        public var freedBytes: Int64 = 0
        /// Upload directories removed.
        public var removedUploads: [String] = []

        public var description: String {
            "marked \(marked) blobs; removed \(removedBlobs.count) blobs (\(freedBytes) bytes) and \(removedUploads.count) abandoned uploads"
        }
    }

    let storage: RegistryStorage
    let lock: StoreLock

    /// A collector for the store under `root`.
    public init(root: String) throws {
        storage = try RegistryStorage(root: root)
        lock = StoreLock(root: root)
    }

    /// Runs one collection.
    public func run(dryRun: Bool, gracePeriod: TimeInterval = 600, uploadMaxAge: TimeInterval = 86_400,
                    now: Date = Date()) throws -> Report {
        try lock.exclusive {
            var report = Report()
            let marked = mark()
            report.marked = marked.count
            let repositories = storage.repositories()
            for (digest, modified) in storage.allBlobs() where !marked.contains(digest) {
                guard now.timeIntervalSince(modified) >= gracePeriod else { continue }
                report.removedBlobs.append(digest)
                report.freedBytes += storage.blobSize(digest) ?? 0
                if dryRun { continue }
                for name in repositories { _ = storage.unlinkBlob(name, digest) }
                unlink(storage.blobPath(digest))
            }
            for id in (try? FileManager.default.contentsOfDirectory(atPath: storage.uploadsPath)) ?? [] {
                let directory = "\(storage.uploadsPath)/\(id)"
                guard now.timeIntervalSince(lastModified(directory)) >= uploadMaxAge else { continue }
                report.removedUploads.append(id)
                if !dryRun { try? FileManager.default.removeItem(atPath: directory) }
            }
            return report
        }
    }

    /// Every blob a manifest of some repository needs (the manifests themselves included).
    func mark() -> Set<Digest> {
        var marked: Set<Digest> = []
        for name in storage.repositories() {
            for digest in storage.manifestDigests(name) {
                marked.insert(digest)
                guard let data = storage.manifestData(digest),
                      let body = try? JSONDecoder().decode(ManifestBody.self, from: data) else { continue }
                if let config = body.config { marked.insert(config.digest) }
                for layer in body.layers ?? [] { marked.insert(layer.digest) }
            }
        }
        return marked
    }

    /// The newest modification time of a directory and its direct entries.
    private func lastModified(_ directory: String) -> Date {
        var newest: time_t = 0
        var info = stat()
        if stat(directory, &info) == 0 { newest = info.st_mtim.tv_sec }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            if stat("\(directory)/\(entry)", &info) == 0 { newest = max(newest, info.st_mtim.tv_sec) }
        }
        return Date(timeIntervalSince1970: TimeInterval(newest))
    }
}
