import OCI
import Testing
@testable import Cgroups

/// Discovery and path resolution from captured /proc text (no root needed).
@Suite struct CgroupLayoutTests {
    static let hybridMountinfo = """
    31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
    32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
    33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
    34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
    36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
    37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
    38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
    39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
    40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
    """
    static let hybridSelf = """
    9:name=systemd:/
    8:pids:/
    7:blkio:/
    6:freezer:/
    5:devices:/
    4:memory:/process_api/550d
    3:cpuset:/
    2:cpuacct:/
    1:cpu:/
    0::/
    """

    static var hybrid: CgroupHierarchy {
        var h = try! CgroupHierarchy.parse(mountinfo: hybridMountinfo, procSelfCgroup: hybridSelf)
        h.unified?.controllers = ["hugetlb"]
        return h
    }

    @Test func hybridHostDrivesEachControllerWhereItIsMounted() throws {
        let h = Self.hybrid
        #expect(h.v1Mounts.count == 8, "name=systemd is not a controller hierarchy")
        #expect(h.mount(for: "memory")?.mountPoint == "/sys/fs/cgroup/memory")
        #expect(h.mount(for: "memory")?.ownCgroup == "/process_api/550d")
        #expect(h.mount(for: "io")?.mountPoint == "/sys/fs/cgroup/blkio")
        #expect(h.mount(for: "hugetlb")?.mode == .v2)
        #expect(h.mount(for: "hugetlb")?.mountPoint == "/sys/fs/cgroup/unified")
        #expect(h.mount(for: "freezer")?.mode == .v1)
        #expect(h.mount(for: "rdma") == nil)
        #expect(!h.isUnifiedOnly)
    }

    @Test func comountedAndPureV2Hosts() throws {
        let mountinfo = """
        30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
        31 25 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
        """
        let v1 = try CgroupHierarchy.parse(mountinfo: mountinfo, procSelfCgroup: "3:cpu,cpuacct:/a\n2:memory:/b\n")
        #expect(v1.unified == nil)
        #expect(v1.mount(for: "cpuacct")?.mountPoint == "/sys/fs/cgroup/cpu,cpuacct")
        #expect(v1.mount(for: "cpu")?.ownCgroup == "/a")
        #expect(v1.mount(for: "freezer") == nil)

        var v2 = try CgroupHierarchy.parse(mountinfo: "29 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
                                           procSelfCgroup: "0::/user.slice/x.scope\n")
        v2.unified?.controllers = ["cpuset", "cpu", "io", "memory", "hugetlb", "pids"]
        #expect(v2.isUnifiedOnly)
        #expect(v2.mount(for: "memory")?.mode == .v2)
        #expect(v2.mount(for: "blkio")?.mountPoint == "/sys/fs/cgroup")
        #expect(v2.mount(for: "devices")?.mode == .v2)
        #expect(v2.mount(for: "freezer")?.mode == .v2)
    }

    @Test func mountinfoEscapesAndNonRootMounts() throws {
        let h = try CgroupHierarchy.parse(
            mountinfo: "40 30 0:30 /docker/abc /sys/fs/cgroup/my\\040mem rw - cgroup cgroup rw,memory\n",
            procSelfCgroup: "4:memory:/docker/abc\n")
        let m = try #require(h.mount(for: "memory"))
        #expect(m.mountPoint == "/sys/fs/cgroup/my mem")
        #expect(m.directory(for: "/docker/abc/child") == "/sys/fs/cgroup/my mem/child")
    }

    @Test func defaultPathIsBerthSlashID() throws {
        let p = try CgroupPath.resolve(cgroupsPath: nil, containerID: "c1", hierarchy: Self.hybrid)
        #expect(p.cgroupPath == "/berth/c1")
        #expect(p.directory(for: "memory")?.path == "/sys/fs/cgroup/memory/berth/c1")
        #expect(p.directory(for: "hugetlb")?.path == "/sys/fs/cgroup/unified/berth/c1")
        #expect(p.unified?.path == "/sys/fs/cgroup/unified/berth/c1")
        #expect(p.directories.count == 9)
    }

    @Test func relativePathsFollowThisProcessPerHierarchy() throws {
        let p = try CgroupPath.resolve(cgroupsPath: "pods/x", containerID: "c1", hierarchy: Self.hybrid)
        #expect(p.directory(for: "memory")?.path == "/sys/fs/cgroup/memory/process_api/550d/pods/x")
        #expect(p.directory(for: "pids")?.path == "/sys/fs/cgroup/pids/pods/x")
        let abs = try CgroupPath.resolve(cgroupsPath: "//a/./b/", containerID: "c1", hierarchy: Self.hybrid)
        #expect(abs.directory(for: "memory")?.path == "/sys/fs/cgroup/memory/a/b")
    }

    @Test func escapingPathsAreRejected() {
        #expect(throws: CgroupError.self) {
            try CgroupPath.resolve(cgroupsPath: "/a/../../etc", containerID: "c", hierarchy: Self.hybrid)
        }
        #expect(throws: CgroupError.self) {
            try CgroupPath.resolve(cgroupsPath: nil, containerID: "../x", hierarchy: Self.hybrid)
        }
        #expect(throws: CgroupError.self) {
            try CgroupPath.resolve(cgroupsPath: "/", containerID: "c", hierarchy: Self.hybrid)
        }
    }

    @Test func currentHostIsDiscovered() throws {
        let h = try CgroupHierarchy.current()
        #expect(!h.v1Mounts.isEmpty || h.unified != nil)
    }
}
