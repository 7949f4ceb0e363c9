import OCI

extension Cgroup {
    /// Writes `resources` to the cgroup: `plan(_:)` then `apply(_ plan:)`.
    public func apply(_ resources: LinuxResources) throws(CgroupError) {
        try apply(plan(resources))
    }

    /// Computes every write (and the v2 device filter) for `resources` without
    /// touching the filesystem. Each controller goes to the hierarchy that has
    /// it: v1 file names there, v2 names and conversions on the unified one.
    /// Values the host cannot express throw `.unsupported`; values v2 simply has
    /// no knob for (swappiness, oom_control, kernel TCP, leaf weights, net_cls,
    /// net_prio) are skipped there, as runc does.
    public func plan(_ resources: LinuxResources) throws(CgroupError) -> CgroupResourcePlan {
        var plan = CgroupResourcePlan()
        if let devices = resources.devices, !devices.isEmpty {
            try planDevices(devices, into: &plan)
        }
        if let memory = resources.memory, memory.hasValues {
            let dir = try require("memory", field: "memory")
            switch dir.mode {
            case .v1: try Self.planV1Memory(memory, dir: dir.path, into: &plan)
            case .v2: try Self.planV2Memory(memory, dir: dir.path, into: &plan)
            }
        }
        if let cpu = resources.cpu {
            if cpu.hasCPUValues {
                let dir = try require("cpu", field: "cpu")
                switch dir.mode {
                case .v1: Self.planV1CPU(cpu, dir: dir.path, into: &plan)
                case .v2: try Self.planV2CPU(cpu, dir: dir.path, into: &plan)
                }
            }
            if cpu.cpus?.isEmpty == false || cpu.mems?.isEmpty == false {
                let dir = try require("cpuset", field: "cpu.cpus")
                if let cpus = cpu.cpus, !cpus.isEmpty { plan.write("cpuset", dir.path + "/cpuset.cpus", cpus) }
                if let mems = cpu.mems, !mems.isEmpty { plan.write("cpuset", dir.path + "/cpuset.mems", mems) }
            }
        }
        if let pids = resources.pids {
            let dir = try require("pids", field: "pids")
            plan.write("pids", dir.path + "/pids.max", pids.limit > 0 ? String(pids.limit) : "max")
        }
        if let blockIO = resources.blockIO, blockIO.hasValues {
            let dir = try require("blkio", field: "blockIO")
            switch dir.mode {
            case .v1: Self.planV1BlockIO(blockIO, dir: dir.path, into: &plan)
            case .v2: Self.planV2BlockIO(blockIO, dir: dir.path, into: &plan)
            }
        }
        if let limits = resources.hugepageLimits, !limits.isEmpty {
            let dir = try require("hugetlb", field: "hugepageLimits")
            try Self.planHugetlb(limits, dir: dir, into: &plan)
        }
        if let network = resources.network {
            Self.planNetwork(network, path: path, into: &plan)
        }
        if let rdma = resources.rdma, !rdma.isEmpty {
            let dir = try require("rdma", field: "rdma")
            for (device, limits) in rdma.sorted(by: { $0.key < $1.key }) {
                var value = device
                if let handles = limits.hcaHandles { value += " hca_handle=\(handles)" }
                if let objects = limits.hcaObjects { value += " hca_object=\(objects)" }
                plan.write("rdma", dir.path + "/rdma.max", value)
            }
        }
        if let unified = resources.unified, !unified.isEmpty {
            guard let dir = path.unified else {
                throw .unsupported(controller: "unified", reason: "linux.resources.unified needs a cgroup v2 hierarchy, and this host has none")
            }
            for (key, value) in unified.sorted(by: { $0.key < $1.key }) {
                guard !key.isEmpty, !key.contains("/"), key != ".", key != ".." else {
                    throw .invalidValue(field: "unified", value: "\"\(key)\"", reason: "not a cgroup file name")
                }
                plan.write("unified", dir.path + "/" + key, value)
            }
        }
        return plan
    }

    func require(_ controller: String, field: String) throws(CgroupError) -> CgroupDirectory {
        guard let dir = path.directory(for: controller) else {
            throw .unsupported(controller: controller,
                               reason: "no cgroup hierarchy on this host has the \(controller) controller (needed by linux.resources.\(field))")
        }
        return dir
    }

    func planDevices(_ rules: [LinuxDeviceCgroup], into plan: inout CgroupResourcePlan) throws(CgroupError) {
        var parsed: [DeviceRule] = []
        for (index, rule) in rules.enumerated() {
            parsed.append(try DeviceRule(rule, index: index))
        }
        let dir = try require("devices", field: "devices")
        switch dir.mode {
        case .v1:
            for rule in parsed {
                plan.write("devices", dir.path + (rule.allow ? "/devices.allow" : "/devices.deny"), rule.v1Line)
            }
        case .v2:
            plan.deviceFilter = CgroupDeviceFilter(directory: dir.path, program: DeviceFilterProgram(rules: parsed))
        }
    }

    static func planHugetlb(_ limits: [LinuxHugepageLimit], dir: CgroupDirectory, into plan: inout CgroupResourcePlan) throws(CgroupError) {
        for (index, limit) in limits.enumerated() {
            let size = limit.pageSize
            let unit = size.suffix(2)
            guard ["KB", "MB", "GB", "TB", "PB"].contains(unit), size.count > 2,
                  size.dropLast(2).allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidValue(field: "hugepageLimits[\(index)].pageSize", value: "\"\(size)\"",
                                    reason: "expected a size such as \"2MB\" or \"1GB\"")
            }
            let base = dir.path + "/hugetlb." + size
            switch dir.mode {
            case .v1:
                plan.write("hugetlb", base + ".limit_in_bytes", String(limit.limit))
                plan.write("hugetlb", base + ".rsvd.limit_in_bytes", String(limit.limit), optional: true)
            case .v2:
                plan.write("hugetlb", base + ".max", String(limit.limit))
                plan.write("hugetlb", base + ".rsvd.max", String(limit.limit), optional: true)
            }
        }
    }

    static func planNetwork(_ network: LinuxNetwork, path: CgroupPath, into plan: inout CgroupResourcePlan) {
        // net_cls / net_prio exist only as v1 controllers; like runc, skip them elsewhere.
        if let classID = network.classID, let dir = path.directory(for: "net_cls"), dir.mode == .v1 {
            plan.write("net_cls", dir.path + "/net_cls.classid", String(classID))
        }
        if let priorities = network.priorities, let dir = path.directory(for: "net_prio"), dir.mode == .v1 {
            for priority in priorities {
                plan.write("net_prio", dir.path + "/net_prio.ifpriomap", "\(priority.name) \(priority.priority)")
            }
        }
    }
}

extension LinuxMemory {
    var hasValues: Bool {
        limit != nil || reservation != nil || swap != nil || kernelTCP != nil || swappiness != nil
            || disableOOMKiller == true || useHierarchy == true
    }
}

extension LinuxCPU {
    var hasCPUValues: Bool {
        (shares ?? 0) != 0 || quota != nil || period != nil || burst != nil
            || realtimeRuntime != nil || realtimePeriod != nil || idle != nil
    }
}

extension LinuxBlockIO {
    var hasValues: Bool {
        weight != nil || leafWeight != nil || weightDevice?.isEmpty == false
            || throttleReadBpsDevice?.isEmpty == false || throttleWriteBpsDevice?.isEmpty == false
            || throttleReadIOPSDevice?.isEmpty == false || throttleWriteIOPSDevice?.isEmpty == false
    }
}
