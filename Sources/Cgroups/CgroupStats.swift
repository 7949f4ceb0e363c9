import Glibc

/// A snapshot of a cgroup's usage, for `docker stats` and `berth-runtime events`.
public struct CgroupStats: Sendable, Equatable, Codable {
    /// Memory in use, in bytes (v1 memory.usage_in_bytes, v2 memory.current).
    public var memoryUsage: UInt64?
    /// Memory limit in bytes; nil when unlimited.
    public var memoryLimit: UInt64?
    /// memory.stat counters (cache, rss / anon, file, inactive_file, ...).
    public var memoryStat: [String: UInt64] = [:]
    /// CPU time used by all tasks, in nanoseconds.
    public var cpuUsageNanoseconds: UInt64?
    /// User-mode CPU time, in nanoseconds.
    public var cpuUserNanoseconds: UInt64?
    /// Kernel-mode CPU time, in nanoseconds.
    public var cpuSystemNanoseconds: UInt64?
    /// Number of tasks (pids.current).
    public var pidsCurrent: UInt64?
    /// Task limit; nil when unlimited.
    public var pidsLimit: UInt64?

    /// Empty stats.
    public init() {}
}

extension Cgroup {
    /// Reads memory, CPU and pids usage from whichever hierarchy has each controller.
    /// A controller the host lacks leaves its fields nil.
    public func stats() throws(CgroupError) -> CgroupStats {
        var stats = CgroupStats()
        if let dir = path.directory(for: "memory") {
            switch dir.mode {
            case .v1:
                stats.memoryUsage = try CgroupFile.readUInt64(dir.path + "/memory.usage_in_bytes", controller: "memory")
                let limit = try CgroupFile.readUInt64(dir.path + "/memory.limit_in_bytes", controller: "memory")
                // v1 reports "unlimited" as PAGE_COUNTER_MAX pages, about 2^63.
                stats.memoryLimit = limit.flatMap { $0 >= 1 << 62 ? nil : $0 }
            case .v2:
                stats.memoryUsage = try CgroupFile.readUInt64(dir.path + "/memory.current", controller: "memory")
                stats.memoryLimit = try CgroupFile.readUInt64(dir.path + "/memory.max", controller: "memory")
            }
            stats.memoryStat = try CgroupFile.readKeyValues(dir.path + "/memory.stat", controller: "memory")
        }
        if let dir = path.directory(for: "cpuacct") {
            switch dir.mode {
            case .v1:
                stats.cpuUsageNanoseconds = try CgroupFile.readUInt64(dir.path + "/cpuacct.usage", controller: "cpuacct")
                if CgroupFile.exists(dir.path + "/cpuacct.usage_user") {
                    stats.cpuUserNanoseconds = try CgroupFile.readUInt64(dir.path + "/cpuacct.usage_user", controller: "cpuacct")
                    stats.cpuSystemNanoseconds = try CgroupFile.readUInt64(dir.path + "/cpuacct.usage_sys", controller: "cpuacct")
                } else {
                    let ticks = try CgroupFile.readKeyValues(dir.path + "/cpuacct.stat", controller: "cpuacct")
                    let nanosPerTick = UInt64(1_000_000_000) / UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
                    stats.cpuUserNanoseconds = ticks["user"].map { $0 * nanosPerTick }
                    stats.cpuSystemNanoseconds = ticks["system"].map { $0 * nanosPerTick }
                }
            case .v2:
                try Self.readV2CPU(dir.path, into: &stats)
            }
        } else if let unified = path.unified {
            // cpu.stat is part of the v2 core: usage is there even without the cpu controller.
            try Self.readV2CPU(unified.path, into: &stats)
        }
        if let dir = path.directory(for: "pids") {
            stats.pidsCurrent = try CgroupFile.readUInt64(dir.path + "/pids.current", controller: "pids")
            stats.pidsLimit = try CgroupFile.readUInt64(dir.path + "/pids.max", controller: "pids")
        }
        return stats
    }

    static func readV2CPU(_ dir: String, into stats: inout CgroupStats) throws(CgroupError) {
        let cpu = try CgroupFile.readKeyValues(dir + "/cpu.stat", controller: "cpu")
        stats.cpuUsageNanoseconds = cpu["usage_usec"].map { $0 * 1000 }
        stats.cpuUserNanoseconds = cpu["user_usec"].map { $0 * 1000 }
        stats.cpuSystemNanoseconds = cpu["system_usec"].map { $0 * 1000 }
    }
}
