import Foundation
import Testing

extension RuntimeE2E {
    /// linux.resources and cgroupsPath on this host's cgroup hierarchies.
    @Suite struct Cgroups {
        @Test func memoryAndCpuLimitsAreWrittenToTheContainersCgroup() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "linux.resources.memory"] = ["limit": 64 * 1024 * 1024]
            fx.config[path: "linux.resources.cpu"] = ["shares": 512, "quota": 50000, "period": 100000]
            let out = fx.dir + "/container-stdout"
            let pid = try fx.startLongRunning(
                ["sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares; exec sleep 1000"],
                stdoutPath: out)
            let dirs = fx.trackCgroups(of: pid)
            let memory = try #require(dirs["memory"], "no memory cgroup for \(pid): \(dirs)")
            #expect(memory != "/sys/fs/cgroup/memory", "container left in the root memory cgroup")
            #expect(readFile(memory + "/memory.limit_in_bytes") == "67108864\n")
            #expect(readFile(memory + "/cgroup.procs").split(separator: "\n").contains(Substring("\(pid)")))
            let cpu = try #require(dirs["cpu"])
            #expect(readFile(cpu + "/cpu.shares") == "512\n")
            #expect(readFile(cpu + "/cpu.cfs_quota_us") == "50000\n")
            #expect(readFile(cpu + "/cpu.cfs_period_us") == "100000\n")
            // What the container itself sees through its /sys/fs/cgroup.
            #expect(poll { lines(readFile(out)).count >= 2 })
            #expect(lines(readFile(out)) == ["67108864", "512"])
        }

        @Test func pidsLimitStopsAForkBomb() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "linux.resources.pids"] = ["limit": 10]
            let result = fx.sh("cat /sys/fs/cgroup/pids/pids.max; i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo $i; sleep 30 & done")
            let out = lines(result.stdout)
            #expect(out.first == "10", "\(result)")
            #expect(result.status != 0, "the shell should fail to fork: \(result)")
            #expect(result.stderr.contains("Resource temporarily unavailable"), "\(result)")
            let forks = Int(out.last ?? "") ?? 0
            #expect(forks >= 5 && forks <= 10, "forked \(forks) times under pids.max=10")
        }

        @Test func absoluteCgroupsPathIsUsedAndRemovedOnDelete() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let parent = "/berth-e2e-\(uniqueToken())"
            let path = parent + "/ctr"
            fx.onCleanup { removeCgroupPath(path) }
            fx.config[path: "linux.cgroupsPath"] = path
            fx.config[path: "linux.resources.pids"] = ["limit": 50]
            let pid = try fx.startLongRunning()
            let dirs = fx.trackCgroups(of: pid)
            for controller in ["memory", "pids", "cpu", "freezer", "devices"] {
                #expect(dirs[controller] == "/sys/fs/cgroup/\(controller)\(path)", "\(controller): \(String(describing: dirs[controller]))")
            }
            #expect(readFile("/sys/fs/cgroup/pids\(path)/pids.max") == "50\n")
            let deleted = fx.runtime(["delete", "--force", fx.id])
            #expect(deleted.status == 0, "\(deleted)")
            for dir in dirs.values where dir.hasSuffix(path) {
                #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) left behind")
            }
        }

        /// The container process places itself (v1 `tasks`, v2 CLONE_INTO_CGROUP; the runtime
        /// moves it where the kernel refuses, e.g. v2 from a user namespace): it must end up in
        /// its cgroup in every hierarchy the runtime manages, and an exec'd process too.
        @Test(arguments: [false, true])
        func processAndExecAreInTheirCgroupInEveryHierarchy(userNamespace: Bool) throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let path = "/berth-e2e-\(uniqueToken())/ctr"
            fx.onCleanup { removeCgroupPath(path) }
            fx.config[path: "linux.cgroupsPath"] = path
            fx.setNamespace("cgroup")
            if userNamespace {
                fx.setNamespace("user")
                fx.config[path: "linux.uidMappings"] = [["containerID": 0, "hostID": 0, "size": 65536]]
                fx.config[path: "linux.gidMappings"] = [["containerID": 0, "hostID": 0, "size": 65536]]
            }
            let pid = try fx.startLongRunning()
            let dirs = fx.trackCgroups(of: pid)
            var expected = ["memory", "pids", "cpu", "cpuset", "devices", "freezer", "blkio"].filter {
                FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)")
            }
            if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified") { expected.append("unified") }
            for hierarchy in expected {
                #expect(dirs[hierarchy]?.hasSuffix(path) == true, "\(hierarchy): \(String(describing: dirs[hierarchy]))")
            }
            let exec = fx.runtime(["exec", fx.id, "cat", "/proc/self/cgroup"])
            #expect(exec.status == 0, "\(exec)")
            // Inside its cgroup namespace the container's cgroup is "/" in every hierarchy.
            let paths = lines(exec.stdout).filter { !$0.contains(":name=") }
                .compactMap { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).last.map(String.init) }
            #expect(!paths.isEmpty && paths.allSatisfy { $0 == "/" }, "exec'd process: \(exec.stdout)")
        }

        @Test func relativeCgroupsPathIsNestedAndRemovedOnDelete() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let name = "berth-e2e-rel-\(uniqueToken())"
            fx.config[path: "linux.cgroupsPath"] = name
            let pid = try fx.startLongRunning()
            let dirs = fx.trackCgroups(of: pid)
            for controller in ["memory", "pids", "cpu"] {
                #expect(dirs[controller]?.hasSuffix("/" + name) == true, "\(controller): \(String(describing: dirs[controller]))")
            }
            let deleted = fx.runtime(["delete", "--force", fx.id])
            #expect(deleted.status == 0, "\(deleted)")
            for dir in dirs.values where dir.hasSuffix(name) {
                #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) left behind")
            }
        }
    }
}
