/// `GET /containers/{id}/stats`: one sample (per line when streaming). Field names
/// are docker's snake_case; everything is optional because cgroup v1, v2 and a
/// stopped container each leave different parts out.
public struct ContainerStats: Codable, Sendable, Equatable {
    public var name: String?
    public var id: String?
    /// RFC 3339 time of this sample.
    public var read: String?
    /// RFC 3339 time of the previous sample.
    public var preread: String?
    public var pidsStats: PidsStats?
    public var blkioStats: BlkioStats?
    public var numProcs: Int?
    public var cpuStats: CPUStats?
    public var precpuStats: CPUStats?
    public var memoryStats: MemoryStats?
    public var networks: [String: NetworkStats]?

    enum CodingKeys: String, CodingKey {
        case name, id, read, preread, pidsStats = "pids_stats", blkioStats = "blkio_stats", numProcs = "num_procs"
        case cpuStats = "cpu_stats", precpuStats = "precpu_stats", memoryStats = "memory_stats", networks
    }

    public init(name: String? = nil, id: String? = nil, read: String? = nil, preread: String? = nil,
                pidsStats: PidsStats? = nil, blkioStats: BlkioStats? = nil, cpuStats: CPUStats? = nil,
                precpuStats: CPUStats? = nil, memoryStats: MemoryStats? = nil, networks: [String: NetworkStats]? = nil) {
        self.name = name; self.id = id; self.read = read; self.preread = preread; self.pidsStats = pidsStats
        self.blkioStats = blkioStats; self.cpuStats = cpuStats; self.precpuStats = precpuStats
        self.memoryStats = memoryStats; self.networks = networks
    }

    /// Process count and limit of the pids controller.
    public struct PidsStats: Codable, Sendable, Equatable {
        public var current: UInt64?
        public var limit: UInt64?
        public init(current: UInt64? = nil, limit: UInt64? = nil) { self.current = current; self.limit = limit }
    }

    /// CPU time of the cgroup and of the whole host.
    public struct CPUStats: Codable, Sendable, Equatable {
        public var cpuUsage: CPUUsage?
        /// Host CPU time in nanoseconds (all CPUs).
        public var systemCPUUsage: UInt64?
        public var onlineCPUs: UInt32?
        public var throttlingData: ThrottlingData?
        enum CodingKeys: String, CodingKey {
            case cpuUsage = "cpu_usage", systemCPUUsage = "system_cpu_usage", onlineCPUs = "online_cpus"
            case throttlingData = "throttling_data"
        }
        public init(cpuUsage: CPUUsage? = nil, systemCPUUsage: UInt64? = nil, onlineCPUs: UInt32? = nil,
                    throttlingData: ThrottlingData? = nil) {
            self.cpuUsage = cpuUsage; self.systemCPUUsage = systemCPUUsage; self.onlineCPUs = onlineCPUs
            self.throttlingData = throttlingData
        }
    }

    /// CPU time of the cgroup in nanoseconds.
    public struct CPUUsage: Codable, Sendable, Equatable {
        public var totalUsage: UInt64?
        /// cgroup v1 only.
        public var percpuUsage: [UInt64]?
        public var usageInKernelmode: UInt64?
        public var usageInUsermode: UInt64?
        enum CodingKeys: String, CodingKey {
            case totalUsage = "total_usage", percpuUsage = "percpu_usage"
            case usageInKernelmode = "usage_in_kernelmode", usageInUsermode = "usage_in_usermode"
        }
        public init(totalUsage: UInt64? = nil, percpuUsage: [UInt64]? = nil, usageInKernelmode: UInt64? = nil,
                    usageInUsermode: UInt64? = nil) {
            self.totalUsage = totalUsage; self.percpuUsage = percpuUsage
            self.usageInKernelmode = usageInKernelmode; self.usageInUsermode = usageInUsermode
        }
    }

    /// CFS throttling counters.
    public struct ThrottlingData: Codable, Sendable, Equatable {
        public var periods: UInt64?
        public var throttledPeriods: UInt64?
        public var throttledTime: UInt64?
        enum CodingKeys: String, CodingKey {
            case periods, throttledPeriods = "throttled_periods", throttledTime = "throttled_time"
        }
        public init(periods: UInt64? = nil, throttledPeriods: UInt64? = nil, throttledTime: UInt64? = nil) {
            self.periods = periods; self.throttledPeriods = throttledPeriods; self.throttledTime = throttledTime
        }
    }

    /// Memory use; `stats` holds the raw memory.stat counters.
    public struct MemoryStats: Codable, Sendable, Equatable {
        public var usage: UInt64?
        /// cgroup v1 only.
        public var maxUsage: UInt64?
        public var stats: [String: UInt64]?
        public var failcnt: UInt64?
        public var limit: UInt64?
        enum CodingKeys: String, CodingKey { case usage, maxUsage = "max_usage", stats, failcnt, limit }
        public init(usage: UInt64? = nil, maxUsage: UInt64? = nil, stats: [String: UInt64]? = nil,
                    failcnt: UInt64? = nil, limit: UInt64? = nil) {
            self.usage = usage; self.maxUsage = maxUsage; self.stats = stats; self.failcnt = failcnt; self.limit = limit
        }
    }

    /// Block I/O counters; on cgroup v2 only `io_service_bytes_recursive` is filled.
    public struct BlkioStats: Codable, Sendable, Equatable {
        public var ioServiceBytesRecursive: [BlkioEntry]?
        public var ioServicedRecursive: [BlkioEntry]?
        enum CodingKeys: String, CodingKey {
            case ioServiceBytesRecursive = "io_service_bytes_recursive", ioServicedRecursive = "io_serviced_recursive"
        }
        public init(ioServiceBytesRecursive: [BlkioEntry]? = nil, ioServicedRecursive: [BlkioEntry]? = nil) {
            self.ioServiceBytesRecursive = ioServiceBytesRecursive; self.ioServicedRecursive = ioServicedRecursive
        }
    }

    /// One device counter (`op` is `read`/`write`, either case).
    public struct BlkioEntry: Codable, Sendable, Equatable {
        public var major: UInt64
        public var minor: UInt64
        public var op: String
        public var value: UInt64
        public init(major: UInt64, minor: UInt64, op: String, value: UInt64) {
            self.major = major; self.minor = minor; self.op = op; self.value = value
        }
    }

    /// Counters of one network interface.
    public struct NetworkStats: Codable, Sendable, Equatable {
        public var rxBytes: UInt64?
        public var rxPackets: UInt64?
        public var rxErrors: UInt64?
        public var rxDropped: UInt64?
        public var txBytes: UInt64?
        public var txPackets: UInt64?
        public var txErrors: UInt64?
        public var txDropped: UInt64?
        enum CodingKeys: String, CodingKey {
            case rxBytes = "rx_bytes", rxPackets = "rx_packets", rxErrors = "rx_errors", rxDropped = "rx_dropped"
            case txBytes = "tx_bytes", txPackets = "tx_packets", txErrors = "tx_errors", txDropped = "tx_dropped"
        }
        public init(rxBytes: UInt64? = nil, txBytes: UInt64? = nil) { self.rxBytes = rxBytes; self.txBytes = txBytes }
    }
}
