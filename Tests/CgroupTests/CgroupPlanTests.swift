import OCI
import Testing
@testable import Cgroups

/// Which files `apply` writes, on v1, v2 and hybrid layouts (plans only: no root needed).
@Suite struct CgroupPlanTests {
    static var v2: Cgroup {
        var h = try! CgroupHierarchy.parse(mountinfo: "29 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
                                           procSelfCgroup: "0::/\n")
        h.unified?.controllers = ["cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma"]
        return Cgroup(path: try! CgroupPath.resolve(cgroupsPath: "/c", containerID: "c", hierarchy: h))
    }

    static var hybrid: Cgroup {
        Cgroup(path: try! CgroupPath.resolve(cgroupsPath: "/c", containerID: "c", hierarchy: CgroupLayoutTests.hybrid))
    }

    static let resources = LinuxResources(
        devices: [LinuxDeviceCgroup(allow: false, access: "rwm"),
                  LinuxDeviceCgroup(allow: true, type: "c", major: 1, minor: 3, access: "rwm")],
        memory: LinuxMemory(limit: 100 << 20, reservation: 50 << 20, swap: 300 << 20, swappiness: 10, disableOOMKiller: true),
        cpu: LinuxCPU(shares: 1024, quota: 50_000, burst: 1_000, period: 100_000, cpus: "0-1", mems: "0"),
        pids: LinuxPids(limit: 64),
        blockIO: LinuxBlockIO(weight: 500, throttleReadBpsDevice: [LinuxThrottleDevice(major: 8, minor: 0, rate: 1_048_576)]),
        hugepageLimits: [LinuxHugepageLimit(pageSize: "2MB", limit: 4 << 21)]
    )

    @Test func v2FilesAndConversions() throws {
        let plan = try Self.v2.plan(Self.resources)
        let d = "/sys/fs/cgroup/c"
        #expect(plan.value(for: d + "/memory.max") == "104857600")
        #expect(plan.value(for: d + "/memory.swap.max") == String(200 << 20))
        #expect(plan.value(for: d + "/memory.low") == "52428800")
        #expect(plan.value(for: d + "/memory.swappiness") == nil)
        #expect(plan.value(for: d + "/cpu.weight") == "100")
        #expect(plan.value(for: d + "/cpu.max") == "50000 100000")
        #expect(plan.value(for: d + "/cpu.max.burst") == "1000")
        #expect(plan.value(for: d + "/cpuset.cpus") == "0-1")
        #expect(plan.value(for: d + "/pids.max") == "64")
        #expect(plan.value(for: d + "/io.bfq.weight") == "500")
        #expect(plan.writes.first { $0.path == d + "/io.bfq.weight" }?.candidates.last?.value == String(1 + 490 * 9_999 / 990))
        #expect(plan.value(for: d + "/io.max") == "8:0 rbps=1048576")
        #expect(plan.value(for: d + "/hugetlb.2MB.max") == String(4 << 21))
        let filter = try #require(plan.deviceFilter)
        #expect(filter.directory == d)
        #expect(!filter.program.defaultAllow)
        #expect(!plan.writes.contains { $0.path.contains("devices.") })
    }

    @Test func hybridSplitsBetweenV1AndV2() throws {
        let plan = try Self.hybrid.plan(Self.resources)
        let root = "/sys/fs/cgroup"
        #expect(plan.value(for: root + "/memory/c/memory.limit_in_bytes") == "104857600")
        #expect(plan.value(for: root + "/memory/c/memory.memsw.limit_in_bytes") == String(300 << 20))
        #expect(plan.writes.first { $0.path.hasSuffix("memory.limit_in_bytes") }?.retryAfterNext == true)
        #expect(plan.value(for: root + "/memory/c/memory.soft_limit_in_bytes") == "52428800")
        #expect(plan.value(for: root + "/memory/c/memory.swappiness") == "10")
        #expect(plan.value(for: root + "/memory/c/memory.oom_control") == "1")
        #expect(plan.value(for: root + "/cpu/c/cpu.shares") == "1024")
        #expect(plan.value(for: root + "/cpu/c/cpu.cfs_period_us") == "100000")
        #expect(plan.value(for: root + "/cpu/c/cpu.cfs_quota_us") == "50000")
        #expect(plan.value(for: root + "/cpu/c/cpu.cfs_burst_us") == "1000")
        #expect(plan.value(for: root + "/cpuset/c/cpuset.mems") == "0")
        #expect(plan.value(for: root + "/pids/c/pids.max") == "64")
        #expect(plan.value(for: root + "/blkio/c/blkio.weight") == "500")
        #expect(plan.value(for: root + "/blkio/c/blkio.throttle.read_bps_device") == "8:0 1048576")
        #expect(plan.value(for: root + "/unified/c/hugetlb.2MB.max") == String(4 << 21))
        // v1 devices: the rules in order, to devices.deny / devices.allow.
        let deviceWrites = plan.writes.filter { $0.controller == "devices" }.map { "\($0.path) \($0.value)" }
        #expect(deviceWrites == [root + "/devices/c/devices.deny a *:* rwm", root + "/devices/c/devices.allow c 1:3 rwm"])
        #expect(plan.deviceFilter == nil)
    }

    @Test func unifiedKeysGoToTheV2Directory() throws {
        let plan = try Self.hybrid.plan(LinuxResources(unified: ["hugetlb.1GB.max": "0"]))
        #expect(plan.value(for: "/sys/fs/cgroup/unified/c/hugetlb.1GB.max") == "0")
        #expect(throws: CgroupError.self) { try Self.hybrid.plan(LinuxResources(unified: ["../x": "1"])) }
        let v1Only = Cgroup(path: CgroupPath(cgroupPath: "/c", directories: [
            CgroupDirectory(path: "/sys/fs/cgroup/memory/c", mode: .v1, controllers: ["memory"], mountPoint: "/sys/fs/cgroup/memory"),
        ]))
        #expect(throws: CgroupError.self) { try v1Only.plan(LinuxResources(unified: ["memory.high": "1"])) }
        #expect(throws: CgroupError.self) { try v1Only.plan(LinuxResources(pids: LinuxPids(limit: 1))) }
    }

    @Test func badValuesNameTheField() throws {
        do {
            _ = try Self.hybrid.plan(LinuxResources(hugepageLimits: [LinuxHugepageLimit(pageSize: "2MB/../x", limit: 1)]))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("hugepageLimits[0].pageSize"))
        }
        #expect(throws: CgroupError.self) {
            try Self.hybrid.plan(LinuxResources(devices: [LinuxDeviceCgroup(allow: true, type: "x")]))
        }
        #expect(throws: CgroupError.self) {
            try Self.v2.plan(LinuxResources(cpu: LinuxCPU(realtimeRuntime: 1000)))
        }
        #expect(throws: CgroupError.self) {
            try Self.hybrid.plan(LinuxResources(memory: LinuxMemory(limit: 200, swap: 100)))
        }
    }

    @Test func unlimitedValues() throws {
        let plan = try Self.v2.plan(LinuxResources(memory: LinuxMemory(limit: -1), pids: LinuxPids(limit: -1)))
        #expect(plan.value(for: "/sys/fs/cgroup/c/memory.max") == "max")
        #expect(plan.value(for: "/sys/fs/cgroup/c/memory.swap.max") == "max")
        #expect(plan.value(for: "/sys/fs/cgroup/c/pids.max") == "max")
    }

    @Test func errorMessageNamesFileAndValue() {
        let error = CgroupError.write(controller: "memory", path: "/sys/fs/cgroup/memory/x/memory.limit_in_bytes",
                                      value: "abc", errno: 22)
        #expect(error.description == "cgroup memory: writing \"abc\" to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: Invalid argument")
    }
}
