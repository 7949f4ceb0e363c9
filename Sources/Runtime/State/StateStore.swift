#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import Seccomp
import OCI

/// The runtime's state directory (`--root`): one directory per container holding
/// state.json (written atomically), a lock held while `create` runs, and the
/// start socket while the container waits for `start`.
public struct StateStore: Sendable {
    /// The root directory, e.g. /run/berth-runtime.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The directory (under the root) of compiled seccomp filters kept between runs.
    public static let seccompCacheName = ".seccomp-cache"
    public var seccompCache: SeccompCache { SeccompCache(directory: root + "/" + Self.seccompCacheName) }

    /// The directory of container `id`.
    public func directory(_ id: String) -> String { root + "/" + id }

    /// Checks a container ID: letters, digits and `_ + - .`, not "." or "..".
    public static func validate(id: String) throws(RuntimeError) {
        if id.isEmpty { throw .invalidID(id, reason: "it is empty") }
        if id == "." || id == ".." { throw .invalidID(id, reason: "it is a path component") }
        if id.utf8.count > 1024 { throw .invalidID(id, reason: "it is too long") }
        for c in id.unicodeScalars where !(c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || "_+-.".unicodeScalars.contains(c)) {
            throw .invalidID(id, reason: "it contains \"\(c)\"; allowed are letters, digits and _ + - .")
        }
    }

    /// Claims `id`: creates its directory and takes its lock (kept until the returned fd is closed).
    /// A directory left by a runtime that crashed during create (no state, lock free) is cleared first.
    public func reserve(_ id: String) throws(RuntimeError) -> Int32 {
        try Self.validate(id: id)
        try Host.makeDirectories(root, mode: 0o711)
        let dir = directory(id)
        for _ in 0..<2 {
            if mkdir(dir, 0o711) == 0 {
                let fd = open(dir + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
                if fd < 0 { throw .errno("creating lock in", dir) }
                flock(fd, LOCK_EX)
                return fd
            }
            guard errno == EEXIST else { throw .errno("creating state directory", dir) }
            guard isAbandoned(id) else { throw .exists(id) }
            Host.removeTree(dir)
        }
        throw .exists(id)
    }

    /// A state directory without state.json whose lock nobody holds: a crashed create.
    func isAbandoned(_ id: String) -> Bool {
        let dir = directory(id)
        if Host.exists(dir + "/state.json") { return false }
        let fd = open(dir + "/lock", O_RDWR | O_CLOEXEC)
        if fd < 0 { return true }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// Saves a container's record atomically: config.json first, then state.json
    /// (whose presence means the container exists).
    public func save(_ record: ContainerRecord, config: [UInt8]) throws(RuntimeError) {
        let dir = directory(record.id)
        try Host.writeAtomically(dir + "/config.json", config, mode: 0o600)
        let data: Data
        do { data = try JSONEncoder().encode(StoredContainer(record)) } catch { throw .message("encoding state: \(error)") }
        try Host.writeAtomically(dir + "/state.json", Array(data), mode: 0o600)
    }

    /// Loads a container's record.
    /// `load` for `delete`, which needs of config.json only what hooks see (version,
    /// annotations), the poststop hooks and the cgroups path: a partial decode, not the whole spec
    /// (delete is on the path of every container's exit).
    public func loadForDelete(_ id: String) throws(RuntimeError) -> ContainerRecord {
        try load(id, config: { bytes in try JSONDecoder().decode(DeleteView.self, from: Data(bytes)).spec })
    }

    /// What `delete` reads of config.json.
    private struct DeleteView: Decodable {
        struct LinuxView: Decodable { var cgroupsPath: String? }
        var ociVersion: String
        var hooks: Hooks?
        var annotations: [String: String]?
        var linux: LinuxView?
        var spec: Spec {
            Spec(ociVersion: ociVersion, hooks: hooks, annotations: annotations, linux: linux.map { Linux(cgroupsPath: $0.cgroupsPath) })
        }
    }

    public func load(_ id: String) throws(RuntimeError) -> ContainerRecord {
        try load(id, config: { bytes in try Spec.decode(from: Data(bytes)) })
    }

    private func load(_ id: String, config decodeConfig: ([UInt8]) throws -> Spec) throws(RuntimeError) -> ContainerRecord {
        try Self.validate(id: id)
        let dir = directory(id)
        let path = dir + "/state.json"
        guard Host.exists(path) else {
            if Host.exists(dir) && !isAbandoned(id) {
                throw .message("container \"\(id)\" is being created")
            }
            throw .notFound(id)
        }
        do {
            let stored = try JSONDecoder().decode(StoredContainer.self, from: Data(try Host.readBytes(path)))
            let config = try decodeConfig(try Host.readBytes(dir + "/config.json"))
            return stored.record(config: config)
        } catch {
            throw .message("state of container \"\(id)\" is corrupt (\(dir)): \(error); remove it with delete --force")
        }
    }

    /// Removes a container's directory.
    public func remove(_ id: String) {
        Host.removeTree(directory(id))
    }

    /// The IDs of every container with a directory.
    public func ids() -> [String] {
        Host.list(root).filter { $0 != Self.seccompCacheName && Host.isDirectory(directory($0)) }.sorted()
    }
}
