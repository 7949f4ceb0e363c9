/// Cgroup resource limits of the container (`linux.resources`).
public struct LinuxResources: Codable, Sendable, Equatable {
    /// Device access rules, applied in order.
    public var devices: [LinuxDeviceCgroup]?
    /// Memory limits.
    public var memory: LinuxMemory?
    /// CPU limits.
    public var cpu: LinuxCPU?
    /// Task count limit.
    public var pids: LinuxPids?
    /// Block I/O limits.
    public var blockIO: LinuxBlockIO?
    /// Huge page limits, per page size.
    public var hugepageLimits: [LinuxHugepageLimit]?
    /// Network class and priorities (cgroup v1).
    public var network: LinuxNetwork?
    /// RDMA limits, keyed by device name.
    public var rdma: [String: LinuxRdma]?
    /// Raw cgroup v2 files to write, e.g. "memory.high": "1G".
    public var unified: [String: String]?

    /// Creates resource limits.
    public init(
        devices: [LinuxDeviceCgroup]? = nil,
        memory: LinuxMemory? = nil,
        cpu: LinuxCPU? = nil,
        pids: LinuxPids? = nil,
        blockIO: LinuxBlockIO? = nil,
        hugepageLimits: [LinuxHugepageLimit]? = nil,
        network: LinuxNetwork? = nil,
        rdma: [String: LinuxRdma]? = nil,
        unified: [String: String]? = nil
    ) {
        self.devices = devices
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
        self.blockIO = blockIO
        self.hugepageLimits = hugepageLimits
        self.network = network
        self.rdma = rdma
        self.unified = unified
    }
}

/// A device cgroup rule: allow or deny access to a device (or class of devices).
public struct LinuxDeviceCgroup: Codable, Sendable, Equatable {
    /// Whether the rule allows (true) or denies (false).
    public var allow: Bool
    /// Device type "a" (all), "c" or "b"; nil means all.
    public var type: String?
    /// Major number; nil means all.
    public var major: Int64?
    /// Minor number; nil means all.
    public var minor: Int64?
    /// Access letters from "rwm".
    public var access: String?

    /// Creates a device rule.
    public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
        self.allow = allow
        self.type = type
        self.major = major
        self.minor = minor
        self.access = access
    }
}

/// Memory limits, in bytes; -1 means unlimited.
public struct LinuxMemory: Codable, Sendable, Equatable {
    /// Hard limit of memory usage.
    public var limit: Int64?
    /// Soft limit (memory.low / soft_limit_in_bytes).
    public var reservation: Int64?
    /// Limit of memory plus swap.
    public var swap: Int64?
    /// Deprecated kernel memory limit.
    public var kernel: Int64?
    /// Kernel TCP buffer limit (cgroup v1).
    public var kernelTCP: Int64?
    /// Swappiness, 0 to 100 (cgroup v1).
    public var swappiness: UInt64?
    /// Disables the OOM killer for the cgroup (cgroup v1).
    public var disableOOMKiller: Bool?
    /// Enables hierarchical accounting (cgroup v1).
    public var useHierarchy: Bool?
    /// Refuses a new limit below current usage.
    public var checkBeforeUpdate: Bool?

    /// Creates memory limits.
    public init(
        limit: Int64? = nil,
        reservation: Int64? = nil,
        swap: Int64? = nil,
        kernel: Int64? = nil,
        kernelTCP: Int64? = nil,
        swappiness: UInt64? = nil,
        disableOOMKiller: Bool? = nil,
        useHierarchy: Bool? = nil,
        checkBeforeUpdate: Bool? = nil
    ) {
        self.limit = limit
        self.reservation = reservation
        self.swap = swap
        self.kernel = kernel
        self.kernelTCP = kernelTCP
        self.swappiness = swappiness
        self.disableOOMKiller = disableOOMKiller
        self.useHierarchy = useHierarchy
        self.checkBeforeUpdate = checkBeforeUpdate
    }
}

/// CPU limits.
public struct LinuxCPU: Codable, Sendable, Equatable {
    /// Relative weight (cgroup v1 shares; converted to cpu.weight on v2).
    public var shares: UInt64?
    /// Microseconds of CPU time per period; -1 means unlimited.
    public var quota: Int64?
    /// Microseconds the quota may be exceeded by, carried over from idle periods.
    public var burst: UInt64?
    /// Period length in microseconds.
    public var period: UInt64?
    /// Realtime runtime in microseconds.
    public var realtimeRuntime: Int64?
    /// Realtime period in microseconds.
    public var realtimePeriod: UInt64?
    /// CPUs the container may use, e.g. "0-3,7".
    public var cpus: String?
    /// Memory nodes the container may use, e.g. "0-1".
    public var mems: String?
    /// 1 makes the cgroup SCHED_IDLE (cgroup v2).
    public var idle: Int64?

    /// Creates CPU limits.
    public init(
        shares: UInt64? = nil,
        quota: Int64? = nil,
        burst: UInt64? = nil,
        period: UInt64? = nil,
        realtimeRuntime: Int64? = nil,
        realtimePeriod: UInt64? = nil,
        cpus: String? = nil,
        mems: String? = nil,
        idle: Int64? = nil
    ) {
        self.shares = shares
        self.quota = quota
        self.burst = burst
        self.period = period
        self.realtimeRuntime = realtimeRuntime
        self.realtimePeriod = realtimePeriod
        self.cpus = cpus
        self.mems = mems
        self.idle = idle
    }
}

/// Task count limit.
public struct LinuxPids: Codable, Sendable, Equatable {
    /// Maximum number of tasks; 0 or -1 means unlimited.
    public var limit: Int64

    /// Creates a pids limit.
    public init(limit: Int64) {
        self.limit = limit
    }
}

/// Block I/O weights and throttles.
public struct LinuxBlockIO: Codable, Sendable, Equatable {
    /// Default weight, 10 to 1000.
    public var weight: UInt16?
    /// Weight of the cgroup's own tasks versus its children (cgroup v1 CFQ).
    public var leafWeight: UInt16?
    /// Per-device weights.
    public var weightDevice: [LinuxWeightDevice]?
    /// Per-device read limits in bytes per second.
    public var throttleReadBpsDevice: [LinuxThrottleDevice]?
    /// Per-device write limits in bytes per second.
    public var throttleWriteBpsDevice: [LinuxThrottleDevice]?
    /// Per-device read limits in operations per second.
    public var throttleReadIOPSDevice: [LinuxThrottleDevice]?
    /// Per-device write limits in operations per second.
    public var throttleWriteIOPSDevice: [LinuxThrottleDevice]?

    /// Creates block I/O limits.
    public init(
        weight: UInt16? = nil,
        leafWeight: UInt16? = nil,
        weightDevice: [LinuxWeightDevice]? = nil,
        throttleReadBpsDevice: [LinuxThrottleDevice]? = nil,
        throttleWriteBpsDevice: [LinuxThrottleDevice]? = nil,
        throttleReadIOPSDevice: [LinuxThrottleDevice]? = nil,
        throttleWriteIOPSDevice: [LinuxThrottleDevice]? = nil
    ) {
        self.weight = weight
        self.leafWeight = leafWeight
        self.weightDevice = weightDevice
        self.throttleReadBpsDevice = throttleReadBpsDevice
        self.throttleWriteBpsDevice = throttleWriteBpsDevice
        self.throttleReadIOPSDevice = throttleReadIOPSDevice
        self.throttleWriteIOPSDevice = throttleWriteIOPSDevice
    }
}

/// Block I/O weight of one device.
public struct LinuxWeightDevice: Codable, Sendable, Equatable {
    /// Major number of the device.
    public var major: Int64
    /// Minor number of the device.
    public var minor: Int64
    /// Weight, 10 to 1000.
    public var weight: UInt16?
    /// Leaf weight (cgroup v1 CFQ).
    public var leafWeight: UInt16?

    /// Creates a device weight.
    public init(major: Int64, minor: Int64, weight: UInt16? = nil, leafWeight: UInt16? = nil) {
        self.major = major
        self.minor = minor
        self.weight = weight
        self.leafWeight = leafWeight
    }
}

/// Block I/O throttle of one device.
public struct LinuxThrottleDevice: Codable, Sendable, Equatable {
    /// Major number of the device.
    public var major: Int64
    /// Minor number of the device.
    public var minor: Int64
    /// Limit, in bytes or operations per second.
    public var rate: UInt64

    /// Creates a device throttle.
    public init(major: Int64, minor: Int64, rate: UInt64) {
        self.major = major
        self.minor = minor
        self.rate = rate
    }
}

/// Huge page limit for one page size.
public struct LinuxHugepageLimit: Codable, Sendable, Equatable {
    /// Page size, e.g. "2MB" or "1GB".
    public var pageSize: String
    /// Limit in bytes.
    public var limit: UInt64

    /// Creates a huge page limit.
    public init(pageSize: String, limit: UInt64) {
        self.pageSize = pageSize
        self.limit = limit
    }
}

/// Network class ID and interface priorities (cgroup v1 net_cls / net_prio).
public struct LinuxNetwork: Codable, Sendable, Equatable {
    /// net_cls class ID.
    public var classID: UInt32?
    /// net_prio priorities per interface.
    public var priorities: [LinuxInterfacePriority]?

    /// Creates network settings.
    public init(classID: UInt32? = nil, priorities: [LinuxInterfacePriority]? = nil) {
        self.classID = classID
        self.priorities = priorities
    }
}

/// Traffic priority of one network interface.
public struct LinuxInterfacePriority: Codable, Sendable, Equatable {
    /// Interface name.
    public var name: String
    /// Priority.
    public var priority: UInt32

    /// Creates an interface priority.
    public init(name: String, priority: UInt32) {
        self.name = name
        self.priority = priority
    }
}

/// RDMA limits of one device.
public struct LinuxRdma: Codable, Sendable, Equatable {
    /// Maximum number of HCA handles.
    public var hcaHandles: UInt32?
    /// Maximum number of HCA objects.
    public var hcaObjects: UInt32?

    /// Creates RDMA limits.
    public init(hcaHandles: UInt32? = nil, hcaObjects: UInt32? = nil) {
        self.hcaHandles = hcaHandles
        self.hcaObjects = hcaObjects
    }
}
