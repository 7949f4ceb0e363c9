import Glibc

/// The arithmetic between OCI (cgroup v1 flavoured) values and cgroup v2 files.
public enum CgroupConversion {
    /// cpu.shares (2...262144, default 1024) → cpu.weight (1...10000, default 100).
    ///
    /// Same curve as current runc: a quadratic in log2(shares), so that 2 → 1,
    /// 1024 → 100 and 262144 → 10000 (the older linear formula mapped 1024 to 39).
    /// 0 means "not set" and stays 0.
    public static func cpuWeight(fromShares shares: UInt64) -> UInt64 {
        if shares == 0 { return 0 }
        if shares <= 2 { return 1 }
        if shares >= 262_144 { return 10_000 }
        let l = log2(Double(shares))
        let exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0
        return UInt64(ceil(pow(10, exponent)))
    }

    /// OCI memory.swap (v1 memory+swap) → memory.swap.max (swap alone).
    ///
    /// Returns nil when nothing should be written, -1 for "max", else swap − limit.
    /// As on v1, an unlimited memory with unset swap means unlimited swap too.
    public static func swapMax(swap: Int64?, limit: Int64?) throws(CgroupError) -> Int64? {
        let memory = limit ?? 0
        let memsw = swap ?? 0
        if memory == -1 && memsw == 0 { return -1 }
        if memsw == 0 { return nil }
        if memsw == -1 { return -1 }
        if memsw < 0 {
            throw .invalidValue(field: "memory.swap", value: String(memsw), reason: "must be -1 or positive")
        }
        if memory == 0 || memory == -1 {
            throw .invalidValue(field: "memory.swap", value: String(memsw),
                                reason: "a swap limit needs a memory limit (memory.limit)")
        }
        if memory < 0 {
            throw .invalidValue(field: "memory.limit", value: String(memory), reason: "must be -1 or positive")
        }
        if memsw < memory {
            throw .invalidValue(field: "memory.swap", value: String(memsw),
                                reason: "memory+swap must be at least memory.limit (\(memory))")
        }
        return memsw - memory
    }

    /// blkio weight (10...1000) → io.weight (1...10000). 0 means "not set".
    public static func ioWeight(fromBlkioWeight weight: UInt64) -> UInt64 {
        if weight == 0 { return 0 }
        return 1 + (weight - min(weight, 10)) * 9_999 / 990
    }

    /// A v1-style byte count where -1 (or any negative) means unlimited, for v2 files.
    static func v2Limit(_ value: Int64) -> String {
        value < 0 ? "max" : String(value)
    }
}
