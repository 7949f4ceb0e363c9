import Foundation

/// The lock between the server and `berth-registry gc`: `flock` on `<root>/gc.lock`.
///
/// The server holds it shared while it makes a blob visible or records a manifest (checking that
/// the manifest's blobs exist); gc holds it exclusive while it re-marks and sweeps. So a manifest
/// is never recorded against a blob that gc is deleting: either gc sees the manifest, or the
/// manifest's check sees the blob gone and the client gets MANIFEST_BLOB_UNKNOWN.
struct StoreLock: Sendable {
    /// The lock file.
    let path: String

    init(root: String) { path = "\(root)/gc.lock" }

    /// Runs `body` holding the lock shared (waiting, without blocking a thread, while gc sweeps).
    func shared<T>(_ body: () throws -> T) async throws -> T {
        let fd = try openLock()
        defer { close(fd) }
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw StorageError.system("flock", path: path, errno: errno) }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return try body()
    }

    /// Runs `body` holding the lock exclusive (gc's sweep), blocking until it is free.
    func exclusive<T>(_ body: () throws -> T) throws -> T {
        let fd = try openLock()
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StorageError.system("flock", path: path, errno: errno) }
        }
        return try body()
    }

    private func openLock() throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.system("open", path: path, errno: errno) }
        return fd
    }
}
