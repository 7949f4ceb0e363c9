import Foundation
import Glibc
import OCI
import Testing
@testable import Cgroups

/// The eBPF device filter loaded for real into a cgroup2 directory.
@Suite(.serialized, .enabled(if: isRoot && (try? CgroupHierarchy.current().unified) != nil,
                             "needs root and a cgroup2 hierarchy"))
struct DeviceFilterAttachTests {
    @Test func deniedDeviceCannotBeOpenedAllowedOneCan() throws {
        let hierarchy = try CgroupHierarchy.current()
        let full = try CgroupPath.resolve(cgroupsPath: "/" + uniqueTestName("bpf"), containerID: "x", hierarchy: hierarchy)
        let unified = try #require(full.unified)
        let cgroup = Cgroup(path: CgroupPath(cgroupPath: full.cgroupPath, directories: [unified]))
        let dir = NSTemporaryDirectory() + uniqueTestName("dev")
        var child: Child?
        defer {
            child?.stop()
            cleanUp(cgroup)
            try? FileManager.default.removeItem(atPath: dir)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(mknod(dir + "/null", S_IFCHR | 0o666, makedev(1, 3)) == 0, "mknod 1:3")
        #expect(mknod(dir + "/zero", S_IFCHR | 0o666, makedev(1, 5)) == 0, "mknod 1:5")

        try cgroup.create()
        let resources = LinuxResources(devices: [
            .init(allow: false, access: "rwm"),
            .init(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),
        ])
        let plan = try cgroup.plan(resources)
        let filter = try #require(plan.deviceFilter, "a unified-only cgroup gets an eBPF filter")
        try cgroup.apply(plan)
        // Applying again replaces the program rather than stacking a second one.
        try cgroup.apply(plan)
        #expect(try attachedPrograms(unified.path) == 1)
        #expect(!filter.program.defaultAllow)

        let script = "read go; if head -c 1 \(dir)/zero >/proc/self/fd/1; then echo ZERO-OK; else echo ZERO-DENIED; fi; "
            + "if cat \(dir)/null; then echo NULL-OK; else echo NULL-DENIED; fi"
        let shell = try Child("/bin/sh", ["-c", script])
        child = shell
        try cgroup.add(pid: shell.pid)
        shell.stdinPipe.fileHandleForWriting.write(Data("go\n".utf8))
        #expect(shell.waitForExit(seconds: 10))
        let output = String(decoding: shell.stdoutPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output.contains("ZERO-OK"), "\(output)")
        #expect(output.contains("NULL-DENIED"), "\(output)")
        #expect(output.contains("Operation not permitted"), "\(output)")
        // Outside the cgroup the node opens fine: the filter, not the node, said no.
        let fd = open(dir + "/null", O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        if fd >= 0 { close(fd) }
    }

    @Test func programLoadsAndVerifies() throws {
        let rules = try DeviceFilterProgramTests.dockerDefault.enumerated().map { try DeviceRule($0.element, index: $0.offset) }
        let fd = try DeviceFilterProgram(rules: rules).load()
        #expect(fd >= 0)
        close(fd)
    }

    func attachedPrograms(_ directory: String) throws -> Int {
        try DeviceFilterProgram.attachedProgramIDs(cgroup: directory).count
    }

    func makedev(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t(((major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00) << 12) | (minor & 0xff))
    }
}
