import OCI

/// cgroup v1 file mappings (memory, cpu, blkio). Pure: they only add to a plan.
extension Cgroup {
    /// memory.* on v1. OCI `swap` is memory+swap (memory.memsw.limit_in_bytes),
    /// which the kernel keeps ≥ memory.limit_in_bytes: the limit is written
    /// first and, if that fails with EINVAL (raising above the old memsw), after it.
    static func planV1Memory(_ m: LinuxMemory, dir: String, into plan: inout CgroupResourcePlan) throws(CgroupError) {
        let swap = m.swap.flatMap { $0 == 0 ? nil : $0 }
        if let limit = m.limit, let swap, limit > 0, swap > 0, swap < limit {
            throw .invalidValue(field: "memory.swap", value: String(swap),
                                reason: "memory+swap must be at least memory.limit (\(limit))")
        }
        if let limit = m.limit {
            plan.write("memory", dir + "/memory.limit_in_bytes", String(limit), retryAfterNext: swap != nil)
        }
        if let swap {
            plan.write("memory", dir + "/memory.memsw.limit_in_bytes", String(swap))
        }
        if let reservation = m.reservation {
            plan.write("memory", dir + "/memory.soft_limit_in_bytes", String(reservation))
        }
        // memory.kmem.limit_in_bytes (m.kernel) is deprecated and ignored, as in runc ≥ 1.1.
        if let tcp = m.kernelTCP {
            plan.write("memory", dir + "/memory.kmem.tcp.limit_in_bytes", String(tcp))
        }
        if let swappiness = m.swappiness, swappiness != UInt64.max {
            guard swappiness <= 100 else {
                throw .invalidValue(field: "memory.swappiness", value: String(swappiness), reason: "must be 0...100")
            }
            plan.write("memory", dir + "/memory.swappiness", String(swappiness))
        }
        if m.disableOOMKiller == true {
            plan.write("memory", dir + "/memory.oom_control", "1")
        }
        if m.useHierarchy == true {
            plan.write("memory", dir + "/memory.use_hierarchy", "1", optional: true)
        }
    }

    /// cpu.* on v1: shares, CFS quota/period/burst, RT runtime/period, idle.
    static func planV1CPU(_ c: LinuxCPU, dir: String, into plan: inout CgroupResourcePlan) {
        if let shares = c.shares, shares != 0 {
            plan.write("cpu", dir + "/cpu.shares", String(shares))
        }
        if let period = c.period, period != 0 {
            plan.write("cpu", dir + "/cpu.cfs_period_us", String(period), retryAfterNext: c.quota != nil)
        }
        if let quota = c.quota {
            plan.write("cpu", dir + "/cpu.cfs_quota_us", String(quota <= 0 ? -1 : quota))
        }
        if let burst = c.burst {
            plan.write("cpu", dir + "/cpu.cfs_burst_us", String(burst))
        }
        if let period = c.realtimePeriod, period != 0 {
            plan.write("cpu", dir + "/cpu.rt_period_us", String(period), retryAfterNext: c.realtimeRuntime != nil)
        }
        if let runtime = c.realtimeRuntime {
            plan.write("cpu", dir + "/cpu.rt_runtime_us", String(runtime))
        }
        if let idle = c.idle {
            plan.write("cpu", dir + "/cpu.idle", String(idle))
        }
    }

    /// blkio.* on v1: CFQ names first, BFQ names when CFQ's are absent.
    static func planV1BlockIO(_ b: LinuxBlockIO, dir: String, into plan: inout CgroupResourcePlan) {
        if let weight = b.weight, weight != 0 {
            plan.writes.append(CgroupWrite(controller: "blkio", candidates: [
                (dir + "/blkio.weight", String(weight)), (dir + "/blkio.bfq.weight", String(weight)),
            ]))
        }
        if let leaf = b.leafWeight, leaf != 0 {
            plan.write("blkio", dir + "/blkio.leaf_weight", String(leaf))
        }
        for device in b.weightDevice ?? [] {
            let node = "\(device.major):\(device.minor)"
            if let weight = device.weight, weight != 0 {
                plan.writes.append(CgroupWrite(controller: "blkio", candidates: [
                    (dir + "/blkio.weight_device", "\(node) \(weight)"),
                    (dir + "/blkio.bfq.weight_device", "\(node) \(weight)"),
                ]))
            }
            if let leaf = device.leafWeight, leaf != 0 {
                plan.write("blkio", dir + "/blkio.leaf_weight_device", "\(node) \(leaf)")
            }
        }
        let throttles: [(String, [LinuxThrottleDevice]?)] = [
            ("read_bps_device", b.throttleReadBpsDevice), ("write_bps_device", b.throttleWriteBpsDevice),
            ("read_iops_device", b.throttleReadIOPSDevice), ("write_iops_device", b.throttleWriteIOPSDevice),
        ]
        for (file, devices) in throttles {
            for device in devices ?? [] {
                plan.write("blkio", dir + "/blkio.throttle." + file, "\(device.major):\(device.minor) \(device.rate)")
            }
        }
    }
}
