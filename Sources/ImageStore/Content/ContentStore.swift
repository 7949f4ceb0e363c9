import Foundation
import Glibc
import OCI

/// Size and age of one stored blob.
public struct ContentInfo: Sendable, Hashable {
    /// The blob's digest (its name under blobs/).
    public let digest: Digest
    /// Its size in bytes.
    public let size: Int64
    /// When it was committed.
    public let committedAt: Date
}

/// Blobs by digest under `root/content/blobs/<alg>/<hex>`, written through `root/content/ingest/`.
///
/// A `final class` rather than an actor: it holds no mutable state (only paths); every
/// operation is a few system calls whose atomicity comes from the filesystem
/// (write temp, fsync, rename), so concurrent callers need no serialisation and
/// blocking I/O never runs on an actor's executor. It is `Sendable` as it is.
public final class ContentStore: Sendable {
    /// `root/content`.
    public let directory: String
    /// `root/content/blobs`: only complete, verified blobs.
    public let blobsDirectory: String
    /// `root/content/ingest`: blobs being written, never read by anyone but their writer.
    public let ingestDirectory: String

    /// Opens (creating if needed) the content store of the engine root `root`.
    public init(root: String) throws {
        directory = root + "/content"
        blobsDirectory = directory + "/blobs"
        ingestDirectory = directory + "/ingest"
        try StoreFS.makeDirectories(ingestDirectory)
        for algorithm in DigestAlgorithm.allCases {
            try StoreFS.makeDirectories(blobsDirectory + "/" + algorithm.rawValue)
        }
    }

    /// Where blob `digest` lives (whether or not it is present).
    public func path(for digest: Digest) -> String {
        "\(blobsDirectory)/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }

    /// True when blob `digest` is present.
    public func exists(_ digest: Digest) -> Bool {
        guard let st = StoreFS.lstat(path(for: digest)) else { return false }
        return (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Size and commit time of blob `digest`; throws `ContentError.notFound` when absent.
    public func info(_ digest: Digest) throws -> ContentInfo {
        guard let st = StoreFS.lstat(path(for: digest)), (st.st_mode & S_IFMT) == S_IFREG else {
            throw ContentError.notFound(digest)
        }
        return ContentInfo(
            digest: digest, size: Int64(st.st_size),
            committedAt: Date(timeIntervalSince1970: StoreFS.modificationTime(st)))
    }

    /// The whole blob `digest` in memory (for manifests and configs; stream layers with `reader(for:)`).
    public func read(_ digest: Digest) throws -> [UInt8] {
        let reader = try reader(for: digest)
        return try reader.read(at: 0, count: Int(reader.size))
    }

    /// An open reader over blob `digest`; it keeps working if the blob is deleted meanwhile.
    public func reader(for digest: Digest) throws -> ContentReader {
        try ContentReader(digest: digest, path: path(for: digest))
    }

    /// Removes blob `digest`; returns its size, or nil when it was not present.
    @discardableResult
    public func delete(_ digest: Digest) throws -> Int64? {
        let path = path(for: digest)
        guard let st = StoreFS.lstat(path) else { return nil }
        if unlink(path) != 0 {
            if errno == ENOENT { return nil }
            throw StoreFSError("unlink", path)
        }
        try StoreFS.fsyncDirectory(StoreFS.parentOf(path))
        return Int64(st.st_size)
    }

    /// Every blob under blobs/ (files in ingest/ are never listed).
    public func list() throws -> [ContentInfo] {
        var result: [ContentInfo] = []
        for algorithm in DigestAlgorithm.allCases {
            let dir = blobsDirectory + "/" + algorithm.rawValue
            for name in try StoreFS.list(dir) {
                guard let digest = try? Digest(parsing: "\(algorithm.rawValue):\(name)"),
                      let info = try? info(digest) else { continue }
                result.append(info)
            }
        }
        return result.sorted { $0.digest < $1.digest }
    }

    /// Re-hashes blob `digest`; throws `ContentError.corrupt` when its bytes no longer match its name.
    public func verify(_ digest: Digest) throws {
        let reader = try reader(for: digest)
        var digester = Digester(algorithm: digest.algorithm)
        var offset: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try reader.read(at: offset, into: buffer)
            if n == 0 { break }
            digester.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            offset += Int64(n)
        }
        let actual = digester.finalize()
        if actual != digest { throw ContentError.corrupt(digest: digest, actual: actual, size: offset) }
    }

    /// Removes files in ingest/ not modified for `age` seconds (left by a crash or a killed writer);
    /// returns how many were removed. Ingests in progress keep touching their file and are spared.
    @discardableResult
    public func cleanupIngest(olderThan age: Double) throws -> Int {
        let cutoff = StoreFS.now() - age
        var removed = 0
        for name in try StoreFS.list(ingestDirectory) {
            let path = ingestDirectory + "/" + name
            guard let st = StoreFS.lstat(path), StoreFS.modificationTime(st) < cutoff else { continue }
            try StoreFS.removeTree(path)
            removed += 1
        }
        return removed
    }
}
