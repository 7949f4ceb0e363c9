import Foundation
import Testing

extension RuntimeE2E {
    /// Input the runtime must refuse, saying what was wrong and leaving nothing behind.
    @Suite struct BadInput {
        /// After a refused create: no state, no mounts under the bundle, no cgroup at `cgroupPath`.
        func expectNothingLeft(_ fx: BundleFixture, cgroupPath: String? = nil, id: String? = nil,
                               sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(fx.state(id) == nil, "container still known", sourceLocation: sourceLocation)
            #expect(fx.stateEntries(for: id).isEmpty, "state left: \(fx.stateEntries(for: id))", sourceLocation: sourceLocation)
            let mounts = hostMounts().filter { $0.mountPoint.contains(fx.bundle) || $0.root.contains(fx.bundle) }
            #expect(mounts.isEmpty, "mounts left: \(mounts.map(\.mountPoint))", sourceLocation: sourceLocation)
            if let cgroupPath {
                let left = cgroupDirsEverywhere(cgroupPath).filter { FileManager.default.fileExists(atPath: $0) }
                #expect(left.isEmpty, "cgroups left: \(left)", sourceLocation: sourceLocation)
            }
        }

        @Test func configWithAWronglyTypedFieldIsRefusedNamingTheJsonPath() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.user.uid"] = "abc"
            let result = fx.create(["true"])
            #expect(result.status == 1, "\(result)")
            if !fx.isRunc {
                #expect(result.stderr.contains("process.user.uid"), "\(result)")
            }
            expectNothingLeft(fx)
        }

        /// A real-time task may not join a v1 cpu cgroup without an RT budget (EINVAL): the
        /// container process fails to place itself, and the runtime reports that step, not a
        /// broken sync pipe, and leaves nothing behind.
        @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cpu/cpu.rt_runtime_us")
                       && FileManager.default.isExecutableFile(atPath: "/usr/bin/chrt")))
        func aProcessThatCannotJoinItsCgroupIsReportedByStep() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            if fx.isRunc { return }
            let path = "/berth-e2e-\(uniqueToken())/rt"
            fx.onCleanup { removeCgroupPath(path) }
            fx.config[path: "linux.cgroupsPath"] = path
            fx.config[path: "process.args"] = ["true"]
            fx.writeConfig()
            let result = runCommand("/usr/bin/chrt", ["-f", "1", fx.binary, "--root", fx.stateRoot, "run", "--bundle", fx.bundle, fx.id])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("joining the container's cgroup"), "\(result)")
            expectNothingLeft(fx, cgroupPath: path)
        }

        @Test func configThatIsNotJsonIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = FileManager.default.createFile(atPath: fx.bundle + "/config.json", contents: Data("{\"ociVersion\": \"1.0.2\", \"process\": {".utf8))
            let result = fx.runtime(["create", "--bundle", fx.bundle, fx.id])
            #expect(result.status == 1, "\(result)")
            #expect(!result.stderr.isEmpty)
            if !fx.isRunc { #expect(result.stderr.contains("config.json"), "\(result)") }
            expectNothingLeft(fx)
        }

        @Test func missingConfigIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            try FileManager.default.removeItem(atPath: fx.bundle + "/config.json")
            let result = fx.runtime(["create", "--bundle", fx.bundle, fx.id])
            #expect(result.status == 1, "\(result)")
            if !fx.isRunc { #expect(result.stderr.contains("config.json"), "\(result)") }
            expectNothingLeft(fx)
        }

        @Test func unknownNamespaceTypeIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.setNamespace("bogus")
            let result = fx.create(["true"])
            #expect(result.status == 1, "\(result)")
            if !fx.isRunc { #expect(result.stderr.contains("bogus"), "\(result)") }
            expectNothingLeft(fx)
        }

        @Test(arguments: ["a/b", "..", "../escape", "/abs", "a b", ""])
        func invalidContainerIDIsRefused(_ badID: String) throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.create(["true"], id: badID)
            #expect(result.status == 1, "\(result)")
            #expect(!result.stderr.isEmpty)
            // Nothing was created outside (or inside) the runtime's root.
            #expect(try FileManager.default.contentsOfDirectory(atPath: fx.stateRoot).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fx.dir + "/escape"))
            #expect(!FileManager.default.fileExists(atPath: "/abs"))
        }

        @Test func duplicateIDIsRefusedAndTheFirstContainerSurvives() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let first = fx.create(["sleep", "1000"])
            try #require(first.status == 0, "\(first)")
            let pid = fx.statePid()
            let second = fx.create(["sleep", "1000"])
            #expect(second.status == 1, "\(second)")
            if !fx.isRunc { #expect(second.stderr.contains(fx.id), "\(second)") }
            #expect(fx.state()?["status"] as? String == "created")
            #expect(fx.statePid() == pid)
            #expect(pid.map(processAlive) == true)
        }

        @Test func missingRootfsIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "root.path"] = "no-such-rootfs"
            let cgroup = "/berth-e2e-\(uniqueToken())"
            fx.config[path: "linux.cgroupsPath"] = cgroup
            fx.onCleanup { removeCgroupPath(cgroup) }
            let result = fx.create(["true"])
            #expect(result.status == 1, "\(result)")
            if !fx.isRunc { #expect(result.stderr.contains("no-such-rootfs"), "\(result)") }
            expectNothingLeft(fx, cgroupPath: cgroup)
        }

        @Test func failedMountLeavesNoMountsCgroupsOrState() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.addMount("/mnt/missing", source: fx.dir + "/does-not-exist", options: ["bind"])
            let cgroup = "/berth-e2e-\(uniqueToken())"
            fx.config[path: "linux.cgroupsPath"] = cgroup
            fx.onCleanup { removeCgroupPath(cgroup) }
            let result = fx.create(["true"])
            #expect(result.status == 1, "\(result)")
            // Where: the mount's index in config.json or its destination, and the missing source.
            if !fx.isRunc {
                #expect(result.stderr.contains("mounts[") || result.stderr.contains("/mnt/missing"), "\(result)")
                #expect(result.stderr.contains("does-not-exist"), "\(result)")
            }
            expectNothingLeft(fx, cgroupPath: cgroup)
        }

        @Test func missingExecutableFailsAndLeavesNothingBehind() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let cgroup = "/berth-e2e-\(uniqueToken())"
            fx.config[path: "linux.cgroupsPath"] = cgroup
            fx.onCleanup { removeCgroupPath(cgroup) }
            let result = fx.run(["/no/such/binary"])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("/no/such/binary"), "\(result)")
            expectNothingLeft(fx, cgroupPath: cgroup)
        }

        @Test func deleteLeavesNoStateMountsOrCgroups() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let cgroup = "/berth-e2e-\(uniqueToken())"
            fx.config[path: "linux.cgroupsPath"] = cgroup
            fx.onCleanup { removeCgroupPath(cgroup) }
            let pid = try fx.startLongRunning()
            #expect(FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids\(cgroup)"))
            let deleted = fx.runtime(["delete", "--force", fx.id])
            #expect(deleted.status == 0, "\(deleted)")
            #expect(poll { !processAlive(pid) })
            expectNothingLeft(fx, cgroupPath: cgroup)
        }

        @Test func commandsOnAnUnknownContainerFail() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            for command in [["state"], ["start"], ["kill"], ["pause"], ["resume"], ["ps"], ["exec"]] {
                let args = command + (command == ["exec"] ? [fx.id, "true"] : [fx.id])
                let result = fx.runtime(args)
                #expect(result.status != 0, "\(result)")
                #expect(!result.stderr.isEmpty, "\(command) said nothing")
            }
            // delete --force of a missing container succeeds quietly (runc semantics).
            #expect(fx.runtime(["delete", "--force", fx.id]).status == 0)
            #expect(fx.runtime(["delete", fx.id]).status != 0)
        }

        /// A state directory left by a runtime that crashed during create (no state.json,
        /// nobody holding its lock) does not block the ID: delete clears it, create reuses it.
        @Test func stateDirOfACrashedCreateIsRecovered() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            if fx.isRunc { return }
            let stale = fx.stateRoot + "/" + fx.id
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: stale + "/lock", contents: nil)
            let state = fx.runtime(["state", fx.id])
            #expect(state.status == 1)
            #expect(state.stderr.contains(fx.id))
            #expect(fx.runtime(["delete", fx.id]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: stale))
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
            let result = fx.run(["true"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: stale))
        }
    }
}
