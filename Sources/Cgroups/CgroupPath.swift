/// One directory of a container's cgroup: its place in one hierarchy.
public struct CgroupDirectory: Sendable, Equatable, Codable {
    /// Absolute path, e.g. "/sys/fs/cgroup/memory/berth/abc".
    public var path: String
    /// The hierarchy's interface.
    public var mode: CgroupMode
    /// Controllers driven through this directory.
    public var controllers: [String]
    /// The hierarchy's mount point: directories above `path` up to here are ancestors.
    public var mountPoint: String

    /// Creates a directory description.
    public init(path: String, mode: CgroupMode, controllers: [String], mountPoint: String) {
        self.path = path
        self.mode = mode
        self.controllers = controllers
        self.mountPoint = mountPoint
    }
}

/// Where a container's cgroup lives in every hierarchy of the host.
public struct CgroupPath: Sendable, Equatable, Codable {
    /// The cgroup path, normalized: "/berth/<id>" or, for a relative cgroupsPath,
    /// the path as given ("pods/abc"), resolved per hierarchy against this process's cgroup.
    public var cgroupPath: String
    /// One entry per v1 hierarchy with controllers, then the unified one (if mounted).
    public var directories: [CgroupDirectory]

    /// Creates a path from directories computed elsewhere (tests).
    public init(cgroupPath: String, directories: [CgroupDirectory]) {
        self.cgroupPath = cgroupPath
        self.directories = directories
    }

    /// Resolves the OCI `linux.cgroupsPath` against the host's hierarchies.
    ///
    /// - An absolute path is used as-is below each hierarchy's top.
    /// - A relative path is taken relative to this process's own cgroup in each
    ///   hierarchy (which differs per hierarchy, e.g. memory:/process_api/x).
    /// - nil or "" means "/berth/<containerID>".
    /// ".." components are rejected: a container's cgroup never lies outside its parent.
    public static func resolve(cgroupsPath: String?, containerID: String, hierarchy: CgroupHierarchy) throws(CgroupError) -> CgroupPath {
        let given: String
        if let cgroupsPath, !cgroupsPath.isEmpty {
            given = cgroupsPath
        } else {
            guard !containerID.isEmpty, !containerID.contains("/"), containerID != ".", containerID != ".." else {
                throw .invalidPath(containerID, reason: "container ID cannot name a cgroup directory")
            }
            given = "/berth/" + containerID
        }
        if given.utf8.contains(0) {
            throw .invalidPath(given, reason: "contains a NUL byte")
        }
        var components: [Substring] = []
        for part in given.split(separator: "/") where part != "." {
            if part == ".." {
                throw .invalidPath(given, reason: "\"..\" is not allowed")
            }
            components.append(part)
        }
        if components.isEmpty {
            throw .invalidPath(given, reason: "names the root cgroup")
        }
        let isAbsolute = given.hasPrefix("/")
        let normalized = (isAbsolute ? "/" : "") + components.joined(separator: "/")

        func cgroup(in mount: CgroupMount) -> String {
            if isAbsolute { return normalized }
            return mount.ownCgroup == "/" ? "/" + normalized : mount.ownCgroup + "/" + normalized
        }
        var directories: [CgroupDirectory] = hierarchy.v1Mounts.map { mount in
            CgroupDirectory(path: mount.directory(for: cgroup(in: mount)), mode: .v1,
                            controllers: mount.controllers, mountPoint: mount.mountPoint)
        }
        if let unified = hierarchy.unified {
            directories.append(CgroupDirectory(path: unified.directory(for: cgroup(in: unified)), mode: .v2,
                                               controllers: unified.controllers, mountPoint: unified.mountPoint))
        }
        return CgroupPath(cgroupPath: normalized, directories: directories)
    }

    /// The unified (v2) directory, if the host has a cgroup2 hierarchy.
    public var unified: CgroupDirectory? {
        directories.first { $0.mode == .v2 }
    }

    /// The directory that drives `controller`, with the same rules as
    /// `CgroupHierarchy.mount(for:)`: v1 first, then v2 (freezer and devices
    /// are part of the v2 core).
    public func directory(for controller: String) -> CgroupDirectory? {
        let v1Name = controller == "io" ? "blkio" : controller
        if let d = directories.first(where: { $0.mode == .v1 && $0.controllers.contains(v1Name) }) {
            return d
        }
        guard let unified else { return nil }
        let v2Name = controller == "blkio" ? "io" : (controller == "cpuacct" ? "cpu" : controller)
        if v2Name == "freezer" || v2Name == "devices" || unified.controllers.contains(v2Name) {
            return unified
        }
        return nil
    }
}
