import Foundation
import OCI
import Testing
@testable import Runtime

/// The planner turns config.json into a complete plan without side effects: these
/// tests need no root and check the plan's decisions directly.
@Suite final class LaunchPlanTests {
    let bundle: String
    let hybrid = [
        CgroupMountSource(name: "memory", fstype: "cgroup", options: "memory", hostPath: "/sys/fs/cgroup/memory/berth/x"),
        CgroupMountSource(name: "systemd", fstype: "cgroup", options: "none,name=systemd", hostPath: "/sys/fs/cgroup/systemd/berth/x"),
        CgroupMountSource(name: "unified", fstype: "cgroup2", options: nil, hostPath: "/sys/fs/cgroup/unified/berth/x"),
    ]

    init() throws {
        bundle = NSTemporaryDirectory() + "berth-plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bundle + "/rootfs", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: bundle) }

    func plan(_ edit: (inout Spec) -> Void = { _ in }, cgroups: [CgroupMountSource]? = nil) throws -> LaunchPlan {
        var spec = Spec.defaultSpec()
        edit(&spec)
        return try LaunchPlan.container(spec: spec, context: PlanContext(bundle: bundle, cgroupMounts: cgroups ?? hybrid))
    }

    func expectConfigError(_ path: String, _ edit: (inout Spec) -> Void) {
        do {
            _ = try plan(edit)
            Issue.record("expected an error at \(path)")
        } catch {
            guard let error = error as? RuntimeError, case let .invalidConfig(p, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(p == path)
        }
    }

    @Test func defaultSpecCreatesNamespacesAndMountsInOrder() throws {
        let p = try plan()
        #expect(p.creates == [.pid, .network, .ipc, .uts, .mount, .cgroup])
        #expect(p.joins.isEmpty)
        #expect(p.rootfs == bundle + "/rootfs")
        let targets = p.ops.map(\.target)
        #expect(targets.firstIndex(of: "/proc")! < targets.firstIndex(of: "/dev/null")!)
        #expect(targets.contains("/dev/ptmx"))
        #expect(p.ops.contains(.mask(target: "/proc/kcore")))
        #expect(p.ops.contains(.readonly(target: "/proc/sys")))
        #expect(p.ops.contains(.mknod(target: "/dev/null", mode: S_IFCHR | 0o666, major: 1, minor: 3, uid: 0, gid: 0)))
    }

    @Test func hybridCgroupMountIsATmpfsWithOneMountPerHierarchyThenReadOnly() throws {
        let p = try plan()
        let cgroupOps = p.ops.filter { $0.target.hasPrefix("/sys/fs/cgroup") }
        #expect(cgroupOps.count == 5)
        guard case let .mount(_, _, fstype, _, _, _) = cgroupOps[0] else { Issue.record("no tmpfs"); return }
        #expect(fstype == "tmpfs")
        #expect(cgroupOps[1] == .mount(source: "cgroup", target: "/sys/fs/cgroup/memory", fstype: "cgroup",
                                       flags: cgroupFlags, data: "memory", propagation: 0))
        guard case .remount = cgroupOps[4] else { Issue.record("no read-only remount"); return }
        // The child waits to be in its cgroup before the first cgroup mount.
        #expect(p.ops[p.cgroupSyncOp].target == "/sys/fs/cgroup/memory")
    }

    var cgroupFlags: UInt { MountOptions.MS.nosuid | MountOptions.MS.noexec | MountOptions.MS.nodev | MountOptions.MS.relatime | MountOptions.MS.rdonly }

    @Test func pureV2CgroupMountIsOneCgroup2Mount() throws {
        let v2 = [CgroupMountSource(name: "", fstype: "cgroup2", options: nil, hostPath: "/sys/fs/cgroup/berth/x")]
        let p = try plan(cgroups: v2)
        let cgroupOps = p.ops.filter { $0.target.hasPrefix("/sys/fs/cgroup") }
        #expect(cgroupOps == [.mount(source: "cgroup2", target: "/sys/fs/cgroup", fstype: "cgroup2", flags: cgroupFlags, data: nil, propagation: 0)])
    }

    @Test func userNamespaceBindsDevicesInsteadOfMknod() throws {
        let p = try plan { spec in
            spec.linux!.namespaces!.append(LinuxNamespace(type: .user))
            spec.linux!.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 100000, size: 65536)]
            spec.linux!.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 100000, size: 65536)]
        }
        #expect(p.uidMap == "0 100000 65536\n")
        #expect(!p.ops.contains { if case .mknod = $0 { return true } else { return false } })
        #expect(p.ops.contains(.bind(source: "/dev/null", target: "/dev/null", flags: MountOptions.MS.bind, propagation: 0, isFile: true, optional: true)))
    }

    @Test func joinedNamespacesAreOrderedUserFirst() throws {
        let p = try plan { spec in
            spec.hostname = nil
            spec.linux!.namespaces = [LinuxNamespace(type: .mount), LinuxNamespace(type: .network, path: "/run/netns/x"),
                                     LinuxNamespace(type: .user, path: "/proc/1/ns/user")]
        }
        #expect(p.joins.map(\.type) == [.user, .network])
        #expect(p.creates == [.mount])
    }

    @Test func ambientCapabilitiesOutsidePermittedAndInheritableAreDropped() throws {
        let p = try plan { spec in
            spec.process!.capabilities = LinuxCapabilities(bounding: ["CAP_KILL", "CAP_NET_BIND_SERVICE"], effective: ["CAP_KILL"],
                                                           inheritable: ["CAP_NET_BIND_SERVICE"], permitted: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
                                                           ambient: ["CAP_KILL", "CAP_NET_BIND_SERVICE"])
        }
        #expect(p.process.capabilities?.bounding == (1 << 5) | (1 << 10))
        #expect(p.process.capabilities?.ambient == 1 << 10)
    }

    @Test func relativeBindSourceIsResolvedAgainstTheBundle() throws {
        try FileManager.default.createDirectory(atPath: bundle + "/data", withIntermediateDirectories: true)
        let p = try plan { spec in
            spec.mounts!.append(Mount(destination: "/data", type: "bind", source: "data", options: ["rbind", "ro"]))
        }
        #expect(p.ops.contains(.bind(source: bundle + "/data", target: "/data",
                                     flags: MountOptions.MS.bind | MountOptions.MS.rec | MountOptions.MS.rdonly,
                                     propagation: 0, isFile: false, optional: false)))
    }

    @Test func missingCwdIsCreatedAndPathIsSearched() throws {
        let p = try plan { spec in
            spec.process!.cwd = "/work/app"
            spec.process!.env = ["PATH=/app/bin:/bin"]
        }
        #expect(p.ops.last == .mkdir(target: "/work/app"))
        #expect(p.process.pathDirs == ["/app/bin", "/bin"])
    }

    @Test func inconsistentConfigsNameTheirField() {
        expectConfigError("linux.namespaces") { $0.linux!.namespaces!.removeAll { $0.type == .mount } }
        expectConfigError("hostname") { $0.linux!.namespaces!.removeAll { $0.type == .uts } }
        expectConfigError("mounts[7].source") { $0.mounts!.append(Mount(destination: "/x", type: "bind", source: "/nonexistent-berth", options: ["bind"])) }
        expectConfigError("process.capabilities.bounding[0]") { $0.process!.capabilities!.bounding = ["CAP_FLY"] }
        expectConfigError("linux.rootfsPropagation") { $0.linux!.rootfsPropagation = "sideways" }
        expectConfigError("root.path") { $0.root!.path = "missing-rootfs" }
    }
}
