import DockerAPI
import OCI

extension ContainerSpecBuilder {
    /// Smallest `--memory` docker accepts: 6 MiB.
    public static let minimumMemory: Int64 = 6 << 20
    /// CFS period used for `--cpus`: 100 ms in µs.
    public static let cpuPeriod: UInt64 = 100_000

    /// `linux.resources` from HostConfig, with docker's checks and defaults:
    /// `--memory-swap` twice `--memory` when only the latter is given, `--cpus` as a quota
    /// over a 100 ms period, PidsLimit ≤ 0 as unlimited (-1), and the device rules
    /// (everything for privileged containers).
    static func resources(_ input: ContainerSpecInput, privileged: Bool) throws(SpecBuildError) -> LinuxResources {
        let host = input.hostConfig
        var resources = LinuxResources()
        resources.memory = try memory(host)
        resources.cpu = try cpu(host)
        if let pids = host.pidsLimit {
            resources.pids = LinuxPids(limit: pids <= 0 ? -1 : pids)
        }
        if let weight = host.blkioWeight, weight != 0 {
            guard (10...1000).contains(weight) else {
                throw .invalidResource(field: "BlkioWeight", reason: "Range of blkio weight is from 10 to 1000")
            }
            resources.blockIO = LinuxBlockIO(weight: UInt16(weight))
        }
        if privileged {
            resources.devices = DockerDefaults.privilegedDeviceRules
        } else {
            var rules = DockerDefaults.deviceRules
            for device in input.devices {
                guard !device.permissions.isEmpty, device.permissions.allSatisfy({ "rwm".contains($0) }) else {
                    throw .invalidDevice(path: device.pathInContainer, reason: "invalid device mode: \(device.permissions)")
                }
                rules.append(LinuxDeviceCgroup(allow: true, type: device.type, major: device.major, minor: device.minor,
                                               access: device.permissions))
            }
            for rule in host.deviceCgroupRules ?? [] {
                rules.append(try deviceCgroupRule(rule))
            }
            resources.devices = rules
        }
        return resources
    }

    static func memory(_ host: HostConfig) throws(SpecBuildError) -> LinuxMemory? {
        let limit = host.memory ?? 0
        var swap = host.memorySwap ?? 0
        let reservation = host.memoryReservation ?? 0
        if limit != 0 && limit < minimumMemory {
            throw .invalidResource(field: "Memory", reason: "Minimum memory limit allowed is 6MB")
        }
        if swap > 0 && limit == 0 {
            throw .invalidResource(field: "MemorySwap", reason: "You should always set the Memory limit when using Memoryswap limit, see usage")
        }
        if limit > 0 && swap > 0 && swap < limit {
            throw .invalidResource(field: "MemorySwap", reason: "Minimum memoryswap limit should be larger than memory limit, see usage")
        }
        if limit > 0 && reservation > 0 && reservation > limit {
            throw .invalidResource(field: "MemoryReservation", reason: "Minimum memory limit can not be less than memory reservation limit, see usage")
        }
        if reservation != 0 && reservation < minimumMemory {
            throw .invalidResource(field: "MemoryReservation", reason: "Minimum memory reservation allowed is 6MB")
        }
        if limit > 0 && swap == 0 { swap = limit * 2 }
        var memory = LinuxMemory()
        if limit > 0 { memory.limit = limit }
        if swap != 0 { memory.swap = swap }
        if reservation > 0 { memory.reservation = reservation }
        if let swappiness = host.memorySwappiness, swappiness != -1 {
            guard (0...100).contains(swappiness) else {
                throw .invalidResource(field: "MemorySwappiness", reason: "Invalid value: \(swappiness), valid memory swappiness range is 0-100")
            }
            memory.swappiness = UInt64(swappiness)
        }
        if host.oomKillDisable == true { memory.disableOOMKiller = true }
        return memory == LinuxMemory() ? nil : memory
    }

    static func cpu(_ host: HostConfig) throws(SpecBuildError) -> LinuxCPU? {
        var cpu = LinuxCPU()
        let nanos = host.nanoCpus ?? 0
        if nanos != 0 {
            if (host.cpuPeriod ?? 0) != 0 {
                throw .invalidResource(field: "NanoCpus", reason: "Conflicting options: Nano CPUs and CPU Period cannot both be set")
            }
            if (host.cpuQuota ?? 0) != 0 {
                throw .invalidResource(field: "NanoCpus", reason: "Conflicting options: Nano CPUs and CPU Quota cannot both be set")
            }
            guard nanos > 0 else {
                throw .invalidResource(field: "NanoCpus", reason: "Range of CPUs is from 0.01 to the number of CPUs available")
            }
            cpu.period = cpuPeriod
            cpu.quota = nanos * Int64(cpuPeriod) / 1_000_000_000
        }
        if let period = host.cpuPeriod, period != 0 {
            guard period == -1 || (1000...1_000_000).contains(period) else {
                throw .invalidResource(field: "CpuPeriod", reason: "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")
            }
            if period > 0 { cpu.period = UInt64(period) }
        }
        if let quota = host.cpuQuota, quota != 0 {
            guard quota == -1 || quota >= 1000 else {
                throw .invalidResource(field: "CpuQuota", reason: "CPU cfs quota can not be less than 1ms (i.e. 1000)")
            }
            cpu.quota = quota
        }
        if let shares = host.cpuShares, shares != 0 {
            guard shares > 0 else { throw .invalidResource(field: "CpuShares", reason: "invalid CPU shares: \(shares)") }
            cpu.shares = UInt64(shares)
        }
        if let cpus = host.cpusetCpus, !cpus.isEmpty {
            guard isCPUList(cpus) else { throw .invalidCpuset(field: "cpuset cpus", value: cpus) }
            cpu.cpus = cpus
        }
        if let mems = host.cpusetMems, !mems.isEmpty {
            guard isCPUList(mems) else { throw .invalidCpuset(field: "cpuset mems", value: mems) }
            cpu.mems = mems
        }
        if let runtime = host.cpuRealtimeRuntime, runtime != 0 { cpu.realtimeRuntime = runtime }
        if let period = host.cpuRealtimePeriod, period > 0 { cpu.realtimePeriod = UInt64(period) }
        return cpu == LinuxCPU() ? nil : cpu
    }

    /// "0-3,7": comma-separated numbers or ascending ranges.
    static func isCPUList(_ list: String) -> Bool {
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count) else { return false }
            let numbers = bounds.compactMap { UInt32($0) }
            guard numbers.count == bounds.count, numbers[0] <= numbers[numbers.count - 1] else { return false }
        }
        return true
    }

    /// `--device-cgroup-rule "c 1:3 rwm"`: type a/b/c, major and minor numbers or "*", access letters.
    public static func deviceCgroupRule(_ text: String) throws(SpecBuildError) -> LinuxDeviceCgroup {
        let bad = SpecBuildError.invalidResource(field: "DeviceCgroupRules", reason: "invalid device cgroup rule format: '\(text)'")
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, ["a", "b", "c"].contains(fields[0]) else { throw bad }
        let numbers = fields[1].split(separator: ":", omittingEmptySubsequences: false)
        guard numbers.count == 2 else { throw bad }
        func number(_ s: Substring) throws(SpecBuildError) -> Int64? {
            if s == "*" { return nil }
            guard let n = Int64(s), n >= 0 else { throw bad }
            return n
        }
        let access = fields[2]
        guard !access.isEmpty, access.count <= 3, access.allSatisfy({ "rwm".contains($0) }) else { throw bad }
        return LinuxDeviceCgroup(allow: true, type: String(fields[0]), major: try number(numbers[0]),
                                 minor: try number(numbers[1]), access: String(access))
    }
}
