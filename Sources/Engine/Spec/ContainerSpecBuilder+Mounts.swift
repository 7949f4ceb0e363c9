import DockerAPI
import OCI

extension ContainerSpecBuilder {
    /// Propagation modes a bind mount may ask for.
    static let propagationModes: Set<String> = ["private", "rprivate", "shared", "rshared", "slave", "rslave"]

    /// The mount list, in docker's order: the kernel filesystems (minus those a user mount
    /// replaces; all of /dev's when /dev itself is replaced), then the /etc files and user
    /// mounts sorted by destination depth (parents before children), then docker-init.
    static func mounts(_ input: ContainerSpecInput, privileged: Bool, writableCgroups: Bool) throws(SpecBuildError) -> [OCI.Mount] {
        let host = input.hostConfig
        let readOnlyRoot = host.readonlyRootfs == true
        var user: [OCI.Mount] = []
        var destinations = Set<String>()
        for resolved in input.mounts {
            let mount = try ociMount(resolved)
            guard destinations.insert(mount.destination).inserted else {
                throw .duplicateMountDestination(mount.destination)
            }
            user.append(mount)
        }
        // The generated /etc files, unless the user mounted something there.
        let etc: [(String, String?)] = [
            ("/etc/resolv.conf", input.etcFiles.resolvConf), ("/etc/hostname", input.etcFiles.hostname),
            ("/etc/hosts", input.etcFiles.hosts),
        ]
        for (destination, source) in etc {
            guard let source, !destinations.contains(destination) else { continue }
            user.append(OCI.Mount(destination: destination, type: "bind", source: source,
                                  options: ["rbind", "rprivate"] + (readOnlyRoot ? ["ro"] : [])))
        }
        // Stable sort by depth: docker sorts mounts by the number of path components.
        user = user.enumerated().sorted {
            let (a, b) = (depth($0.element.destination), depth($1.element.destination))
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)

        let ipcMode = host.ipcMode ?? ""
        if let shm = host.shmSize, shm < 0 {
            throw .invalidResource(field: "ShmSize", reason: "SHM size can not be less than 0")
        }
        let shmSize = (host.shmSize ?? 0) > 0 ? host.shmSize! : DockerDefaults.shmSize
        var defaults = DockerDefaults.mounts(privileged: privileged, shmSize: ipcMode == "none" || ipcMode == "host" ? nil : shmSize)
        if ipcMode == "host" {
            defaults.append(OCI.Mount(destination: "/dev/shm", type: "bind", source: "/dev/shm", options: ["rbind", "rprivate"]))
        }
        if writableCgroups {
            defaults = defaults.map { mount in
                guard mount.type == "cgroup" else { return mount }
                var m = mount
                m.options = (m.options ?? []).map { $0 == "ro" ? "rw" : $0 }
                return m
            }
        }
        let replacesDev = destinations.contains("/dev")
        defaults.removeAll { destinations.contains($0.destination) || (replacesDev && $0.destination.hasPrefix("/dev/")) }

        var all = defaults + user
        if host.initProcess == true, let initPath = input.initPath {
            all.append(OCI.Mount(destination: initPathInContainer, type: "bind", source: initPath, options: ["bind", "ro"]))
        }
        return all
    }

    /// One user mount as OCI: binds and volumes as (r)binds with their propagation,
    /// tmpfs with docker's default options merged with the given ones.
    static func ociMount(_ resolved: ResolvedMount) throws(SpecBuildError) -> OCI.Mount {
        let destination = try cleanDestination(resolved.destination)
        switch resolved {
        case .bind(let source, _, let readOnly, let propagation, let recursive):
            let mode = propagation ?? "rprivate"
            guard propagationModes.contains(mode) else {
                throw .invalidResource(field: "BindOptions.Propagation", reason: "invalid propagation mode: \(mode)")
            }
            return OCI.Mount(destination: destination, type: "bind", source: source,
                             options: [recursive ? "rbind" : "bind"] + (readOnly ? ["ro"] : []) + [mode])
        case .volume(_, let source, _, let readOnly):
            return OCI.Mount(destination: destination, type: "bind", source: source,
                             options: ["rbind"] + (readOnly ? ["ro"] : []) + ["rprivate"])
        case .tmpfs(_, let options):
            return OCI.Mount(destination: destination, type: "tmpfs", source: "tmpfs",
                             options: try TmpfsOptions.merge(options, destination: destination))
        }
    }

    /// "/data//x/" → "/data/x"; relative paths and "/" are refused.
    static func cleanDestination(_ path: String) throws(SpecBuildError) -> String {
        guard path.hasPrefix("/") else { throw .invalidMountDestination(path) }
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        guard !parts.isEmpty else { throw .invalidMountDestination(path) }
        return "/" + parts.joined(separator: "/")
    }

    /// Number of components of a clean absolute path.
    static func depth(_ path: String) -> Int {
        path.split(separator: "/").count
    }
}
