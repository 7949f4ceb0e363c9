import Distribution

/// Where the engine keeps things and which helper programs it runs.
public struct EngineConfiguration: Sendable {
    /// Persistent state: `berth.db`, content, snapshots, containers, volumes (`--root`).
    public var root: String
    /// Runtime state that a reboot may lose: shim sockets, the runtime's state (`--exec-root`).
    public var execRoot: String
    /// The OCI runtime (berth-runtime, or runc).
    public var runtimePath: String
    /// The shim executable.
    public var shimPath: String
    /// An init for `--init` (tini-static), when the host has one.
    public var initPath: String?
    /// Insecure registries and Docker Hub mirrors (`--insecure-registry`, `--registry-mirror`).
    public var registries = RegistryConfiguration()

    /// The default network's bridge (`--bridge`, docker's `-b`).
    public var bridgeName: String
    /// The default network's subnet (`--bip`); nil picks the first free of docker's pools.
    public var bridgeSubnet: String?
    /// Where CNI plugin executables are (CNI_PATH).
    public var cniPluginDirectories: [String]

    public init(root: String, execRoot: String, runtimePath: String, shimPath: String, initPath: String? = nil,
                bridgeName: String = "berth0", bridgeSubnet: String? = nil,
                cniPluginDirectories: [String] = ["/usr/lib/cni", "/opt/cni/bin"]) {
        self.root = root; self.execRoot = execRoot; self.runtimePath = runtimePath; self.shimPath = shimPath
        self.initPath = initPath; self.bridgeName = bridgeName; self.bridgeSubnet = bridgeSubnet
        self.cniPluginDirectories = cniPluginDirectories
    }

    /// The runtime's `--root`.
    public var runtimeRoot: String { execRoot + "/runtime" }
    /// The container's bundle on the exec root (/run: tmpfs on most hosts; containerd keeps its bundles there): config.json,
    /// the rootfs mount point, hostname, hosts and resolv.conf. Every start writes it afresh, so a
    /// reboot that clears it loses nothing; on tmpfs its files cost no disk writes or syncs.
    public func bundle(_ id: String) -> String { execRoot + "/containers/" + id }
    /// What of a container outlives a reboot apart from the database: its json-file log.
    public func containerDirectory(_ id: String) -> String { root + "/engine/containers/" + id }
    /// The shim's directory for container `id` (or exec `id`). Named by the ID's first 16 hex
    /// digits (64 random bits): unix socket paths must fit in 108 bytes, and a full 64-digit ID
    /// under a deep exec root does not.
    public func shimDirectory(_ id: String) -> String { execRoot + "/shims/" + String(id.prefix(16)) }
    public func shimSocket(_ id: String) -> String { shimDirectory(id) + "/shim.sock" }
    public func logPath(_ id: String) -> String { containerDirectory(id) + "/\(id)-json.log" }
    public var volumesDirectory: String { root + "/volumes" }
    /// Networks' conflists, IPAM leases (host-local's dataDir) and the CNI result cache.
    public var networkDirectory: String { root + "/network" }
    /// Pinned network namespaces of running containers (gone at reboot, as they should be).
    public var netnsDirectory: String { execRoot + "/netns" }
    public func netnsPath(_ id: String) -> String { netnsDirectory + "/" + String(id.prefix(16)) }
}
