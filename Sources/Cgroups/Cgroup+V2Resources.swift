import OCI

/// cgroup v2 file mappings and conversions (memory, cpu, io). Pure: they only add to a plan.
extension Cgroup {
    /// memory.max / memory.low / memory.swap.max (swap alone = OCI swap − limit).
    /// swappiness, oom_control and kernel limits have no v2 knob and are skipped.
    static func planV2Memory(_ m: LinuxMemory, dir: String, into plan: inout CgroupResourcePlan) throws(CgroupError) {
        let swapMax = try CgroupConversion.swapMax(swap: m.swap, limit: m.limit)
        if let limit = m.limit, limit != 0 {
            plan.write("memory", dir + "/memory.max", CgroupConversion.v2Limit(limit))
        }
        if let swapMax {
            // Without swap accounting the file is absent; "max" is then what we have anyway.
            plan.write("memory", dir + "/memory.swap.max", CgroupConversion.v2Limit(swapMax), optional: swapMax < 0)
        }
        if let reservation = m.reservation, reservation != 0 {
            plan.write("memory", dir + "/memory.low", CgroupConversion.v2Limit(reservation))
        }
    }

    /// cpu.weight (from shares), cpu.max ("quota period"), cpu.max.burst, cpu.idle.
    /// Realtime scheduling has no v2 interface: a nonzero value is an error.
    static func planV2CPU(_ c: LinuxCPU, dir: String, into plan: inout CgroupResourcePlan) throws(CgroupError) {
        if let runtime = c.realtimeRuntime, runtime != 0 {
            throw .unsupported(controller: "cpu", reason: "cpu.realtimeRuntime (\(runtime)) is not supported on cgroup v2")
        }
        if let period = c.realtimePeriod, period != 0 {
            throw .unsupported(controller: "cpu", reason: "cpu.realtimePeriod (\(period)) is not supported on cgroup v2")
        }
        if let shares = c.shares, shares != 0 {
            plan.write("cpu", dir + "/cpu.weight", String(CgroupConversion.cpuWeight(fromShares: shares)))
        }
        if let max = cpuMax(quota: c.quota, period: c.period) {
            plan.write("cpu", dir + "/cpu.max", max)
        }
        if let burst = c.burst {
            plan.write("cpu", dir + "/cpu.max.burst", String(burst))
        }
        if let idle = c.idle {
            plan.write("cpu", dir + "/cpu.idle", String(idle))
        }
    }

    /// The cpu.max line for an OCI quota/period pair, or nil when neither is set.
    public static func cpuMax(quota: Int64?, period: UInt64?) -> String? {
        let period = period.flatMap { $0 == 0 ? nil : $0 }
        guard quota != nil || period != nil else { return nil }
        var line = "max"
        if let quota, quota > 0 { line = String(quota) }
        if let period { line += " \(period)" }
        return line
    }

    /// io.weight / io.bfq.weight and io.max. Leaf weights have no v2 knob.
    static func planV2BlockIO(_ b: LinuxBlockIO, dir: String, into plan: inout CgroupResourcePlan) {
        if let weight = b.weight, weight != 0 {
            plan.writes.append(CgroupWrite(controller: "io", candidates: [
                (dir + "/io.bfq.weight", String(weight)),
                (dir + "/io.weight", String(CgroupConversion.ioWeight(fromBlkioWeight: UInt64(weight)))),
            ]))
        }
        for device in b.weightDevice ?? [] {
            guard let weight = device.weight, weight != 0 else { continue }
            let node = "\(device.major):\(device.minor)"
            plan.writes.append(CgroupWrite(controller: "io", candidates: [
                (dir + "/io.bfq.weight", "\(node) \(weight)"),
                (dir + "/io.weight", "\(node) \(CgroupConversion.ioWeight(fromBlkioWeight: UInt64(weight)))"),
            ]))
        }
        let throttles: [(String, [LinuxThrottleDevice]?)] = [
            ("rbps", b.throttleReadBpsDevice), ("wbps", b.throttleWriteBpsDevice),
            ("riops", b.throttleReadIOPSDevice), ("wiops", b.throttleWriteIOPSDevice),
        ]
        for (key, devices) in throttles {
            for device in devices ?? [] {
                let rate = device.rate == 0 ? "max" : String(device.rate)
                plan.write("io", dir + "/io.max", "\(device.major):\(device.minor) \(key)=\(rate)")
            }
        }
    }
}
