import Glibc

/// One container's cgroup across every hierarchy of the host (v1, v2 or hybrid).
///
/// A `Cgroup` is a value: it names directories; `create()`, `apply(_:)`,
/// `add(pid:)` and `destroy()` act on them. Resource settings are planned first
/// (`plan(_:)`, no I/O) and then written (`apply(_:)`).
public struct Cgroup: Sendable, Equatable {
    /// Where the cgroup lives in each hierarchy.
    public let path: CgroupPath

    /// A cgroup at already-resolved directories.
    public init(path: CgroupPath) {
        self.path = path
    }

    /// Discovers the host's hierarchies and resolves `cgroupsPath` for `containerID`.
    public init(cgroupsPath: String?, containerID: String) throws(CgroupError) {
        let hierarchy = try CgroupHierarchy.current()
        self.path = try CgroupPath.resolve(cgroupsPath: cgroupsPath, containerID: containerID, hierarchy: hierarchy)
    }

    /// Creates the directory in every hierarchy (mkdir -p). On v1 cpuset, empty
    /// cpuset.cpus/mems are copied from the parent (else no task could join);
    /// on v2, every controller available is enabled in each ancestor's
    /// cgroup.subtree_control (best effort: a parent holding processes refuses).
    public func create() throws(CgroupError) {
        for directory in path.directories {
            try Self.makeDirectories(directory.path, below: directory.mountPoint)
            switch directory.mode {
            case .v1:
                if directory.controllers.contains("cpuset") {
                    try Self.inheritCpuset(directory.path, below: directory.mountPoint)
                }
            case .v2:
                Self.enableControllers(directory)
            }
        }
    }

    /// Moves process `pid` (and its threads) into the cgroup in every hierarchy
    /// (or only those of `modes`), including the unified one on hybrid hosts.
    public func add(pid: Int32, modes: Set<CgroupMode> = [.v1, .v2]) throws(CgroupError) {
        for directory in path.directories where modes.contains(directory.mode) {
            try CgroupFile.write(String(pid), to: directory.path + "/cgroup.procs",
                                 controller: directory.label)
        }
    }

    /// The processes in the cgroup (and, if `recursive`, in its descendants),
    /// read from the freezer's hierarchy, or the first one.
    public func pids(recursive: Bool = true) throws(CgroupError) -> [Int32] {
        guard let directory = path.directory(for: "freezer") ?? path.directories.first else { return [] }
        var result: [Int32] = []
        try Self.collectPids(directory.path, label: directory.label, recursive: recursive, into: &result)
        return result
    }

    /// Removes the cgroup's directories (and any child cgroups the container made),
    /// deepest first. EBUSY (tasks still exiting) is retried for about a second.
    /// Killing the processes is the caller's job (`killAll`); parents such as
    /// /berth are left in place. A directory already gone is not an error.
    public func destroy() throws(CgroupError) {
        var firstError: CgroupError?
        for directory in path.directories {
            do {
                try Self.removeTree(directory.path)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// Whether the cgroup's directory exists in every hierarchy.
    public var exists: Bool {
        path.directories.allSatisfy { CgroupFile.exists($0.path) }
    }

    // MARK: - Helpers

    static func makeDirectories(_ dir: String, below top: String) throws(CgroupError) {
        if mkdir(dir, 0o755) == 0 || errno == EEXIST { return }
        let failure = errno
        guard failure == ENOENT, let slash = dir.lastIndex(of: "/"), dir.count > top.count else {
            throw .mkdir(path: dir, errno: failure)
        }
        // The parent may be removed again before the child is made (a cleanup removing an empty
        // /berth as this container starts): make it again, a few times.
        for _ in 0..<3 {
            try makeDirectories(String(dir[..<slash]), below: top)
            if mkdir(dir, 0o755) == 0 || errno == EEXIST { return }
            if errno != ENOENT { break }
        }
        throw .mkdir(path: dir, errno: errno)
    }

    /// Fills empty cpuset.cpus / cpuset.mems from the nearest populated ancestor, top down.
    static func inheritCpuset(_ dir: String, below top: String) throws(CgroupError) {
        let cpus = try CgroupFile.read(dir + "/cpuset.cpus", controller: "cpuset")
        let mems = try CgroupFile.read(dir + "/cpuset.mems", controller: "cpuset")
        if !cpus.isEmpty && !mems.isEmpty { return }
        guard dir.count > top.count, let slash = dir.lastIndex(of: "/") else { return }
        let parent = String(dir[..<slash])
        try inheritCpuset(parent, below: top)
        if cpus.isEmpty {
            let value = try CgroupFile.read(parent + "/cpuset.cpus", controller: "cpuset")
            try CgroupFile.write(value, to: dir + "/cpuset.cpus", controller: "cpuset")
        }
        if mems.isEmpty {
            let value = try CgroupFile.read(parent + "/cpuset.mems", controller: "cpuset")
            try CgroupFile.write(value, to: dir + "/cpuset.mems", controller: "cpuset")
        }
    }

    /// Enables the unified root's controllers in cgroup.subtree_control of every
    /// ancestor of `directory`, top down. All at once first; one by one if that fails.
    static func enableControllers(_ directory: CgroupDirectory) {
        var controllers = directory.controllers
        guard !controllers.isEmpty, directory.path.hasPrefix(directory.mountPoint) else { return }
        var ancestor = directory.mountPoint
        let below = directory.path.dropFirst(directory.mountPoint.count).split(separator: "/")
        for component in below {
            let file = ancestor + "/cgroup.subtree_control"
            let all = controllers.map { "+" + $0 }.joined(separator: " ")
            if (try? CgroupFile.write(all, to: file, controller: "unified")) == nil {
                controllers = controllers.filter { (try? CgroupFile.write("+" + $0, to: file, controller: "unified")) != nil }
                if controllers.isEmpty { return }
            }
            ancestor += "/" + component
        }
    }

    static func collectPids(_ dir: String, label: String, recursive: Bool, into result: inout [Int32]) throws(CgroupError) {
        let text = try CgroupFile.read(dir + "/cgroup.procs", controller: label)
        for line in text.split(separator: "\n") {
            if let pid = Int32(line) { result.append(pid) }
        }
        guard recursive else { return }
        for child in CgroupFile.subdirectories(of: dir) {
            try collectPids(dir + "/" + child, label: label, recursive: true, into: &result)
        }
    }

    static func removeTree(_ dir: String) throws(CgroupError) {
        for child in CgroupFile.subdirectories(of: dir) {
            try removeTree(dir + "/" + child)
        }
        var delay: UInt32 = 1_000
        for attempt in 0..<12 {
            if rmdir(dir) == 0 { return }
            let failure = errno
            if failure == ENOENT { return }
            if failure != EBUSY || attempt == 11 { throw .rmdir(path: dir, errno: failure) }
            CgroupFile.pause(microseconds: delay)
            delay = min(delay * 2, 200_000)
        }
    }
}

extension CgroupDirectory {
    /// A short name for error messages: "memory", "cpu,cpuacct" or "unified".
    var label: String {
        mode == .v2 ? "unified" : controllers.joined(separator: ",")
    }
}
