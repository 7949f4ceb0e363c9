import Foundation
import Glibc
import OCI
import Testing
@testable import Cgroups

/// Real cgroups on this host: create, limit, add a process, freeze, kill, destroy.
@Suite(.serialized, .enabled(if: isRoot, "cgroup tests need root (they write /sys/fs/cgroup)"))
struct CgroupLifecycleTests {
    static func hugepageSizes() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/mm/hugepages")) ?? []
        return names.compactMap { name -> String? in
            guard name.hasPrefix("hugepages-"), name.hasSuffix("kB"), let kb = Int(name.dropFirst(10).dropLast(2)) else { return nil }
            return kb >= 1 << 20 ? "\(kb >> 20)GB" : kb >= 1 << 10 ? "\(kb >> 10)MB" : "\(kb)KB"
        }.sorted()
    }

    @Test func createApplyAddFreezeKillDestroy() throws {
        let hierarchy = try CgroupHierarchy.current()
        let name = uniqueTestName("life")
        let path = try CgroupPath.resolve(cgroupsPath: "/\(name)/ctr", containerID: "ctr", hierarchy: hierarchy)
        let cgroup = Cgroup(path: path)
        let parents = path.directories.map { String($0.path.dropLast("/ctr".count)) }
        var child: Child?
        defer {
            child?.stop()
            cleanUp(cgroup, parents: parents)
        }

        try cgroup.create()
        #expect(cgroup.exists)

        let sizes = Self.hugepageSizes()
        let hugetlbDir = path.directory(for: "hugetlb")
        let resources = LinuxResources(
            devices: [.init(allow: false, access: "rwm"), .init(allow: true, type: "c", major: 1, minor: 3, access: "rwm")],
            memory: LinuxMemory(limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20, swappiness: 0),
            cpu: LinuxCPU(shares: 512, quota: 50_000, period: 100_000, cpus: "0", mems: "0"),
            pids: LinuxPids(limit: 32),
            hugepageLimits: hugetlbDir == nil ? nil : sizes.map { LinuxHugepageLimit(pageSize: $0, limit: 0) }
                + (sizes.contains("2MB") ? [LinuxHugepageLimit(pageSize: "2MB", limit: 4 << 21)] : [])
        )
        try cgroup.apply(resources)

        func file(_ controller: String, _ name: String) throws -> String {
            let dir = try #require(path.directory(for: controller), "no \(controller) hierarchy")
            return readText(dir.path + "/" + name)
        }
        let memory = try #require(path.directory(for: "memory"))
        if memory.mode == .v1 {
            #expect(try file("memory", "memory.limit_in_bytes") == String(64 << 20))
            #expect(try file("memory", "memory.memsw.limit_in_bytes") == String(128 << 20))
            #expect(try file("memory", "memory.soft_limit_in_bytes") == String(32 << 20))
            #expect(try file("cpu", "cpu.shares") == "512")
            #expect(try file("cpu", "cpu.cfs_quota_us") == "50000")
            #expect(try file("cpu", "cpu.cfs_period_us") == "100000")
            #expect(try file("devices", "devices.list") == "c 1:3 rwm")
        } else {
            #expect(try file("memory", "memory.max") == String(64 << 20))
            #expect(try file("memory", "memory.swap.max") == String(64 << 20))
            #expect(try file("memory", "memory.low") == String(32 << 20))
            #expect(try file("cpu", "cpu.weight") == String(CgroupConversion.cpuWeight(fromShares: 512)))
            #expect(try file("cpu", "cpu.max") == "50000 100000")
        }
        #expect(try file("cpuset", "cpuset.cpus") == "0")
        #expect(try file("cpuset", "cpuset.mems") == "0")
        #expect(try file("pids", "pids.max") == "32")
        if let hugetlbDir, sizes.contains("2MB") {
            let suffix = hugetlbDir.mode == .v2 ? ".max" : ".limit_in_bytes"
            #expect(readText(hugetlbDir.path + "/hugetlb.2MB" + suffix) == String(4 << 21))
        }
        if let hugetlbDir, sizes.contains("1GB") {
            let suffix = hugetlbDir.mode == .v2 ? ".max" : ".limit_in_bytes"
            #expect(readText(hugetlbDir.path + "/hugetlb.1GB" + suffix) == "0")
        }

        // A real process joins every hierarchy, the unified one included.
        let sleeper = try Child("/bin/sleep", ["60"])
        child = sleeper
        try cgroup.add(pid: sleeper.pid)
        let membership = readText("/proc/\(sleeper.pid)/cgroup")
        for mount in hierarchy.v1Mounts {
            #expect(membership.contains(":\(mount.controllers.joined(separator: ",")):/\(name)/ctr"), "\(membership)")
        }
        if hierarchy.unified != nil {
            #expect(membership.contains("0::/\(name)/ctr"), "\(membership)")
        }
        #expect(try cgroup.pids(recursive: true) == [sleeper.pid])

        let stats = try cgroup.stats()
        #expect(stats.pidsCurrent == 1)
        #expect(stats.pidsLimit == 32)
        #expect(stats.memoryLimit == 64 << 20)
        #expect(stats.memoryUsage != nil)
        #expect(stats.cpuUsageNanoseconds != nil)

        try cgroup.freeze()
        #expect(try cgroup.isFrozen)
        if let freezer = path.directory(for: "freezer"), freezer.mode == .v1 {
            #expect(readText(freezer.path + "/freezer.state") == "FROZEN")
        }
        try cgroup.thaw()
        #expect(!(try cgroup.isFrozen))

        try cgroup.killAll(signal: SIGKILL)
        #expect(sleeper.waitForExit(seconds: 5))
        #expect(sleeper.process.terminationReason == .uncaughtSignal)
        #expect(sleeper.process.terminationStatus == SIGKILL)

        try cgroup.destroy()
        for directory in path.directories {
            #expect(!exists(directory.path), "\(directory.path) is still there")
            #expect(exists(String(directory.path.dropLast("/ctr".count))), "destroy leaves parents")
        }
    }

    @Test func killAllDeliversOtherSignalsThroughTheFreezer() throws {
        let cgroup = try Cgroup(cgroupsPath: "/" + uniqueTestName("term"), containerID: "x")
        var child: Child?
        defer {
            child?.stop()
            cleanUp(cgroup)
        }
        try cgroup.create()
        let shell = try Child("/bin/sh", ["-c", "trap 'exit 7' TERM; while :; do sleep 0.05; done"])
        child = shell
        try cgroup.add(pid: shell.pid)
        usleep(100_000)
        try cgroup.killAll(signal: SIGTERM)
        #expect(shell.waitForExit(seconds: 5))
        #expect(shell.process.terminationStatus == 7)
        #expect(!(try cgroup.isFrozen))
        #expect(shell.waitForExit(seconds: 1))
        // The shell's last sleep child may linger for a moment; destroy retries EBUSY.
        try cgroup.killAll(signal: SIGKILL)
        try cgroup.destroy()
        #expect(!cgroup.exists && !path(cgroup).contains { exists($0) })
    }

    func path(_ cgroup: Cgroup) -> [String] { cgroup.path.directories.map(\.path) }

    /// The v2 code paths on the unified hierarchy alone (here: hybrid host's cgroup2 mount).
    @Test(.enabled(if: (try? CgroupHierarchy.current().unified) != nil, "no cgroup2 hierarchy"))
    func unifiedOnlyFreezeKillAndUnifiedKeys() throws {
        let hierarchy = try CgroupHierarchy.current()
        let full = try CgroupPath.resolve(cgroupsPath: "/" + uniqueTestName("v2"), containerID: "x", hierarchy: hierarchy)
        let unified = try #require(full.unified)
        let cgroup = Cgroup(path: CgroupPath(cgroupPath: full.cgroupPath, directories: [unified]))
        var child: Child?
        defer {
            child?.stop()
            cleanUp(cgroup)
        }
        try cgroup.create()
        if unified.controllers.contains("hugetlb"), Self.hugepageSizes().contains("2MB") {
            #expect(readText(unified.mountPoint + "/cgroup.subtree_control").contains("hugetlb"))
            try cgroup.apply(LinuxResources(unified: ["hugetlb.2MB.max": String(2 << 21)]))
            #expect(readText(unified.path + "/hugetlb.2MB.max") == String(2 << 21))
            do {
                try cgroup.apply(LinuxResources(unified: ["hugetlb.2MB.max": "abc"]))
                Issue.record("writing abc should fail")
            } catch {
                #expect(error.description == "cgroup unified: writing \"abc\" to \(unified.path)/hugetlb.2MB.max: Invalid argument")
            }
        }
        let sleeper = try Child("/bin/sleep", ["60"])
        child = sleeper
        try cgroup.add(pid: sleeper.pid)
        #expect(try cgroup.pids() == [sleeper.pid])
        try cgroup.freeze()
        #expect(try cgroup.isFrozen)
        #expect(readText("/proc/\(sleeper.pid)/cgroup").contains("0::\(full.cgroupPath)"))
        try cgroup.thaw()
        #expect(!(try cgroup.isFrozen))
        let stats = try cgroup.stats()
        #expect(stats.cpuUsageNanoseconds != nil)
        try cgroup.killAll()
        #expect(sleeper.waitForExit(seconds: 5))
        #expect(sleeper.process.terminationStatus == SIGKILL)
        try cgroup.destroy()
        #expect(!exists(unified.path))
    }

    @Test func v1WriteErrorsNameFileAndValue() throws {
        let cgroup = try Cgroup(cgroupsPath: "/" + uniqueTestName("err"), containerID: "x")
        defer { cleanUp(cgroup) }
        try cgroup.create()
        guard let memory = cgroup.path.directory(for: "memory"), memory.mode == .v1 else { return }
        var plan = CgroupResourcePlan()
        plan.write("memory", memory.path + "/memory.limit_in_bytes", "abc")
        do {
            try cgroup.apply(plan)
            Issue.record("writing abc should fail")
        } catch {
            #expect(error.description == "cgroup memory: writing \"abc\" to \(memory.path)/memory.limit_in_bytes: Invalid argument")
        }
    }

    /// Updates that must reorder writes: raising memory above the old memory+swap
    /// (v1), shrinking the CFS period below what the old quota allowed.
    @Test func updatesReorderDependentWrites() throws {
        let cgroup = try Cgroup(cgroupsPath: "/" + uniqueTestName("upd"), containerID: "x")
        defer { cleanUp(cgroup) }
        try cgroup.create()
        try cgroup.apply(LinuxResources(memory: LinuxMemory(limit: 64 << 20, swap: 128 << 20),
                                        cpu: LinuxCPU(quota: 200_000, period: 100_000)))
        try cgroup.apply(LinuxResources(memory: LinuxMemory(limit: 256 << 20, swap: 512 << 20),
                                        cpu: LinuxCPU(quota: 20_000, period: 10_000)))
        let stats = try cgroup.stats()
        #expect(stats.memoryLimit == 256 << 20)
        try cgroup.apply(LinuxResources(memory: LinuxMemory(limit: 32 << 20, swap: 48 << 20)))
        #expect(try cgroup.stats().memoryLimit == 32 << 20)
        if let memory = cgroup.path.directory(for: "memory"), memory.mode == .v1 {
            #expect(readText(memory.path + "/memory.memsw.limit_in_bytes") == String(48 << 20))
        }
        if let cpu = cgroup.path.directory(for: "cpu"), cpu.mode == .v1 {
            #expect(readText(cpu.path + "/cpu.cfs_quota_us") == "20000")
            #expect(readText(cpu.path + "/cpu.cfs_period_us") == "10000")
        }
    }

    @Test func destroyOfAMissingCgroupIsFine() throws {
        let cgroup = try Cgroup(cgroupsPath: "/" + uniqueTestName("gone"), containerID: "x")
        try cgroup.destroy()
    }
}
