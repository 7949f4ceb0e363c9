import Cgroups
import OCI

/// What the runtime remembers about a container between invocations (state.json).
public struct ContainerRecord: Codable, Sendable {
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
