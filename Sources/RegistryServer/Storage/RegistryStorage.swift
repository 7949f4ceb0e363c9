import Foundation
import OCI

/// The registry's files under its root directory.
///
/// ```
/// blobs/<alg>/<hex>                                   every blob (and manifest) once, content-addressed
/// repositories/<name>/_layers/<alg>/<hex>             the repo may serve this blob (empty file)
/// repositories/<name>/_manifests/revisions/<alg>/<hex> the repo holds this manifest (file: its media type)
/// repositories/<name>/_manifests/tags/<tag>           the digest the tag points at
/// repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex> a manifest whose subject is <alg>:<hex> (file: its descriptor)
/// uploads/<uuid>/{data,state.json}                    an upload in progress
/// ```
/// A blob appears under `blobs/` only by `rename` after its digest was verified and its data fsynced.
public struct RegistryStorage: Sendable {
    /// The root directory.
    public let root: String

    /// Opens (creating) the layout under `root`.
    public init(root: String) throws {
        self.root = root
        for directory in ["blobs/sha256", "blobs/sha512", "repositories", "uploads"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
    }

    // MARK: Paths

    /// Where a blob's bytes live.
    func blobPath(_ digest: Digest) -> String { "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.encoded)" }
    /// The directory of one repository.
    func repositoryPath(_ name: String) -> String { "\(root)/repositories/\(name)" }
    func layerLinkPath(_ name: String, _ digest: Digest) -> String {
        "\(repositoryPath(name))/_layers/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }
    func manifestLinkPath(_ name: String, _ digest: Digest) -> String {
        "\(repositoryPath(name))/_manifests/revisions/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }
    func tagsPath(_ name: String) -> String { "\(repositoryPath(name))/_manifests/tags" }
    func tagPath(_ name: String, _ tag: String) -> String { "\(tagsPath(name))/\(tag)" }
    func referrersPath(_ name: String, subject: Digest) -> String {
        "\(repositoryPath(name))/_referrers/\(subject.algorithm.rawValue)/\(subject.encoded)"
    }
    /// The uploads directory.
    var uploadsPath: String { "\(root)/uploads" }

    // MARK: Blobs

    /// The size of a stored blob, or nil when it is not stored.
    func blobSize(_ digest: Digest) -> Int64? {
        var info = stat()
        guard stat(blobPath(digest), &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Whether the repository may serve the blob (as a layer/config, or as one of its manifests).
    func repositoryHasBlob(_ name: String, _ digest: Digest) -> Bool {
        exists(layerLinkPath(name, digest)) || exists(manifestLinkPath(name, digest))
    }

    /// Lets the repository serve a stored blob.
    func linkBlob(_ name: String, _ digest: Digest) throws {
        try writeFile(layerLinkPath(name, digest), Data())
    }

    /// Removes the repository's link to a blob; false when it had none.
    func unlinkBlob(_ name: String, _ digest: Digest) -> Bool {
        unlink(layerLinkPath(name, digest)) == 0
    }

    /// Moves a verified, fsynced file into the blob store (or drops it when the blob is already there).
    func commitBlob(from path: String, digest: Digest) throws {
        let target = blobPath(digest)
        if exists(target) {
            unlink(path)
            // Refresh the time so a running gc treats the blob as just written.
            utimes(target, nil)
            return
        }
        guard rename(path, target) == 0 else { throw StorageError.system("rename", path: target, errno: errno) }
    }

    /// Stores bytes as a blob (used for manifests): written beside, fsynced, renamed.
    func storeBlob(_ data: Data, digest: Digest) throws {
        let target = blobPath(digest)
        if exists(target) { utimes(target, nil); return }
        try writeFile(target, data, sync: true)
    }

    /// Every blob in the store with its modification time.
    func allBlobs() -> [(digest: Digest, modified: Date)] {
        var result: [(Digest, Date)] = []
        for algorithm in DigestAlgorithm.allCases {
            let directory = "\(root)/blobs/\(algorithm.rawValue)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let digest = try? Digest(parsing: "\(algorithm.rawValue):\(name)") else { continue }
                var info = stat()
                guard stat("\(directory)/\(name)", &info) == 0 else { continue }
                result.append((digest, Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))))
            }
        }
        return result
    }

    // MARK: Manifests and tags

    /// Records a manifest in a repository: its bytes as a blob, a revision link holding its media type.
    func putManifest(_ name: String, digest: Digest, data: Data, mediaType: String) throws {
        try storeBlob(data, digest: digest)
        try writeFile(manifestLinkPath(name, digest), Data(mediaType.utf8))
    }

    /// The media type of a manifest the repository holds, or nil when it holds none with that digest.
    func manifestMediaType(_ name: String, _ digest: Digest) -> String? {
        guard let data = FileManager.default.contents(atPath: manifestLinkPath(name, digest)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a manifest's bytes from the blob store.
    func manifestData(_ digest: Digest) -> Data? {
        FileManager.default.contents(atPath: blobPath(digest))
    }

    /// The digest a tag points at.
    func tagDigest(_ name: String, _ tag: String) -> Digest? {
        guard let data = FileManager.default.contents(atPath: tagPath(name, tag)) else { return nil }
        return try? Digest(parsing: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Points a tag at a digest (atomically).
    func setTag(_ name: String, _ tag: String, _ digest: Digest) throws {
        try writeFile(tagPath(name, tag), Data(digest.string.utf8))
    }

    /// Removes a tag; false when it did not exist.
    func removeTag(_ name: String, _ tag: String) -> Bool { unlink(tagPath(name, tag)) == 0 }

    /// The repository's tags, sorted.
    func tags(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tagsPath(name))) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The digests of every manifest a repository holds.
    func manifestDigests(_ name: String) -> [Digest] {
        var result: [Digest] = []
        for algorithm in DigestAlgorithm.allCases {
            let directory = "\(repositoryPath(name))/_manifests/revisions/\(algorithm.rawValue)"
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                if let digest = try? Digest(parsing: "\(algorithm.rawValue):\(entry)") { result.append(digest) }
            }
        }
        return result
    }

    /// The digests of every blob a repository links.
    func layerDigests(_ name: String) -> [Digest] {
        var result: [Digest] = []
        for algorithm in DigestAlgorithm.allCases {
            let directory = "\(repositoryPath(name))/_layers/\(algorithm.rawValue)"
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                if let digest = try? Digest(parsing: "\(algorithm.rawValue):\(entry)") { result.append(digest) }
            }
        }
        return result
    }

    /// Removes a manifest from a repository with every tag pointing at it and its referrer entry.
    /// False when the repository did not hold it.
    func removeManifest(_ name: String, _ digest: Digest, subject: Digest?) -> Bool {
        guard unlink(manifestLinkPath(name, digest)) == 0 else { return false }
        for tag in tags(name) where tagDigest(name, tag) == digest { _ = removeTag(name, tag) }
        if let subject {
            unlink("\(referrersPath(name, subject: subject))/\(digest.algorithm.rawValue)-\(digest.encoded)")
        }
        return true
    }

    /// Whether a repository exists (holds any manifest or blob link).
    func repositoryExists(_ name: String) -> Bool {
        exists("\(repositoryPath(name))/_manifests") || exists("\(repositoryPath(name))/_layers")
    }

    /// Every repository name, sorted (nested names like `a/b/c` included).
    func repositories() -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let path = relative.isEmpty ? "\(root)/repositories" : "\(root)/repositories/\(relative)"
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            if entries.contains("_manifests") || entries.contains("_layers") { result.append(relative) }
            for entry in entries where !entry.hasPrefix("_") && !entry.hasPrefix(".") {
                walk(relative.isEmpty ? entry : "\(relative)/\(entry)")
            }
        }
        walk("")
        return result.filter { !$0.isEmpty }.sorted()
    }

    // MARK: Referrers

    /// Records that `manifest` (described by `descriptor`) refers to `subject`.
    func addReferrer(_ name: String, subject: Digest, descriptor: Data, manifest: Digest) throws {
        try writeFile("\(referrersPath(name, subject: subject))/\(manifest.algorithm.rawValue)-\(manifest.encoded)", descriptor)
    }

    /// The stored descriptors of manifests referring to `subject`.
    func referrers(_ name: String, subject: Digest) -> [Data] {
        let directory = referrersPath(name, subject: subject)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            .filter { !$0.hasPrefix(".") }
            .compactMap { FileManager.default.contents(atPath: "\(directory)/\($0)") }
    }

    // MARK: Files

    func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Writes a small file atomically: a temporary beside it, then rename; directories made as needed.
    func writeFile(_ path: String, _ data: Data, sync: Bool = false) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = "\(directory)/.tmp-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.system("open", path: temporary, errno: errno) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    unlink(temporary)
                    throw StorageError.system("write", path: temporary, errno: errno)
                }
                offset += written
            }
        }
        if sync { fsync(fd) }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError.system("rename", path: path, errno: code)
        }
    }
}

/// A storage operation that failed, with the call and path.
public enum StorageError: Error, CustomStringConvertible, Sendable {
    /// A system call failed.
    case system(String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .system(let call, let path, let code): "\(call) \(path): \(String(cString: strerror(code)))"
        }
    }
}
