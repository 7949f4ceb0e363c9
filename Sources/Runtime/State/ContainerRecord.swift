import Cgroups
import OCI

/// What the runtime knows about a container between invocations.
public struct ContainerRecord: Sendable {
    public var id: String
    /// Absolute bundle directory.
    public var bundle: String
    /// Absolute rootfs path.
    public var rootfs: String
    /// Host pid of the container process.
    public var pid: Int32
    /// Its start time (clock ticks since boot), so a recycled pid is not mistaken for it.
    public var pidStart: UInt64
    /// RFC 3339 creation time.
    public var created: String
    /// The user who created it.
    public var owner: String
    /// The configuration the container was created from (hooks, exec defaults).
    public var config: Spec
    /// The cgroup directories, resolved once at create.
    public var cgroup: CgroupPath
}

/// state.json: the record without its config, which is kept verbatim in config.json
/// beside it (re-encoding the whole config on every create costs more than copying it).
struct StoredContainer: Codable {
    var id: String
    var bundle: String
    var rootfs: String
    var pid: Int32
    var pidStart: UInt64
    var created: String
    var owner: String
    var cgroup: CgroupPath

    init(_ r: ContainerRecord) {
        id = r.id; bundle = r.bundle; rootfs = r.rootfs; pid = r.pid; pidStart = r.pidStart
        created = r.created; owner = r.owner; cgroup = r.cgroup
    }

    func record(config: Spec) -> ContainerRecord {
        ContainerRecord(id: id, bundle: bundle, rootfs: rootfs, pid: pid, pidStart: pidStart, created: created,
                        owner: owner, config: config, cgroup: cgroup)
    }
}
