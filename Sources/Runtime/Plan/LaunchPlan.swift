import OCI
import Seccomp

/// Everything a container start will do, decided before clone(): built from
/// config.json without side effects (so it can be tested without root), then
/// handed to `Launcher`, which performs it.
public struct LaunchPlan: Sendable, Equatable {
    /// A namespace to join, by path.
    public struct Join: Sendable, Equatable {
        public var type: LinuxNamespaceType
        public var path: String
    }

    /// Namespaces joined by path, user namespace first.
    public var joins: [Join] = []
    /// Namespaces created for the container.
    public var creates: Set<LinuxNamespaceType> = []
    /// uid_map and gid_map contents for a new user namespace.
    public var uidMap: String?
    public var gidMap: String?
    /// /proc/self/timens_offsets content for a new time namespace.
    public var timeOffsets: String?
    /// Joining an existing container (exec): no filesystem setup.
    public var execMode = false

    /// Absolute host path of the root filesystem.
    public var rootfs = ""
    public var rootPropagationPre: UInt = MountOptions.MS.slave | MountOptions.MS.rec
    public var rootPropagationPost: UInt = 0
    public var readonlyRoot = false
    public var noPivot = false
    public var ops: [FilesystemOp] = []
    /// The container process waits to be placed in its cgroup before this op (ops.count: after all).
    public var cgroupSyncOp = 0
    /// (/proc/sys path, value)
    public var sysctls: [(path: String, value: String)] = []
    public var hostname: String?
    public var domainname: String?

    public var createContainerHooks: [Hook] = []
    public var startContainerHooks: [Hook] = []
    /// Stop after the mounts so the runtime can run prestart/createRuntime hooks and send the state.
    public var hooksSync = false

    public var process = ProcessPlan()
    public var seccomp: SeccompProgram?

    public init() {}

    public static func == (a: LaunchPlan, b: LaunchPlan) -> Bool {
        a.joins == b.joins && a.creates == b.creates && a.uidMap == b.uidMap && a.gidMap == b.gidMap
            && a.timeOffsets == b.timeOffsets && a.execMode == b.execMode && a.rootfs == b.rootfs
            && a.rootPropagationPre == b.rootPropagationPre && a.rootPropagationPost == b.rootPropagationPost
            && a.readonlyRoot == b.readonlyRoot && a.noPivot == b.noPivot && a.ops == b.ops && a.cgroupSyncOp == b.cgroupSyncOp
            && a.sysctls.map(\.path) == b.sysctls.map(\.path) && a.sysctls.map(\.value) == b.sysctls.map(\.value)
            && a.hostname == b.hostname && a.domainname == b.domainname
            && a.createContainerHooks == b.createContainerHooks && a.startContainerHooks == b.startContainerHooks
            && a.hooksSync == b.hooksSync && a.process == b.process && a.seccomp == b.seccomp
    }
}

/// The process half of a plan: what the container's process is and may do.
public struct ProcessPlan: Sendable, Equatable {
    public var args: [String] = []
    public var env: [String] = []
    /// PATH entries (from env) to find args[0] in.
    public var pathDirs: [String] = []
    public var cwd = "/"
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    public var additionalGids: [UInt32] = []
    public var setGroups = true
    public var umask: Int32 = -1
    public var rlimits: [Rlimit] = []
    public var capabilities: CapabilitySets?
    public var noNewPrivileges = false
    public var oomScoreAdj: Int?
    public var personality: UInt?
    public var ioPriority: Int32?
    public var terminal = false
    public var consoleSize: (rows: UInt16, cols: UInt16) = (0, 0)

    public init() {}

    public static func == (a: ProcessPlan, b: ProcessPlan) -> Bool {
        a.args == b.args && a.env == b.env && a.pathDirs == b.pathDirs && a.cwd == b.cwd && a.uid == b.uid
            && a.gid == b.gid && a.additionalGids == b.additionalGids && a.setGroups == b.setGroups
            && a.umask == b.umask && a.rlimits == b.rlimits && a.capabilities == b.capabilities
            && a.noNewPrivileges == b.noNewPrivileges && a.oomScoreAdj == b.oomScoreAdj
            && a.personality == b.personality && a.ioPriority == b.ioPriority && a.terminal == b.terminal
            && a.consoleSize == b.consoleSize
    }
}

/// One resource limit.
public struct Rlimit: Sendable, Equatable {
    public var resource: Int32
    public var soft: UInt64
    public var hard: UInt64
}

/// The five capability sets as bit masks.
public struct CapabilitySets: Sendable, Equatable {
    public var bounding: UInt64 = 0
    public var effective: UInt64 = 0
    public var permitted: UInt64 = 0
    public var inheritable: UInt64 = 0
    public var ambient: UInt64 = 0
}
