import Glibc
import OCI

extension ContentStore {
    /// A fresh path in ingest/ for a writer that hashes what it writes itself (the layer differ).
    func ingestPath(_ label: String) -> String {
        "\(ingestDirectory)/\(label)-\(StoreFS.randomHex(8)).partial"
    }

    /// Makes the file at `path` (in ingest/, written by a writer that hashed exactly the bytes it
    /// wrote: `digest`, `size`) the blob `digest`: the size is checked, the file made read-only and
    /// durable, then renamed into place — the same last steps as `IngestWriter.commit`, without
    /// reading the bytes a second time. The file is gone afterwards in every case.
    func adopt(_ path: String, digest: Digest, size: Int64) throws -> ContentInfo {
        defer { unlink(path) }
        let fd = try StoreFS.open(path, O_RDONLY)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreFSError("fstat", path) }
        guard Int64(st.st_size) == size else { throw ContentError.sizeMismatch(digest: digest, expected: size, actual: Int64(st.st_size)) }
        if exists(digest) { return try info(digest) }
        if fchmod(fd, 0o444) != 0 { throw StoreFSError("fchmod", path) }
        try StoreFS.fsync(fd, path: path)
        let target = self.path(for: digest)
        try StoreFS.rename(path, target)
        try StoreFS.fsyncDirectory(StoreFS.parentOf(target))
        return try info(digest)
    }
}
