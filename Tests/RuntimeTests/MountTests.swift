import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeE2E {
    /// config.json `mounts` as the container sees them in /proc/self/mountinfo.
    @Suite struct Mounts {
        @Test func defaultMountsArePresentWithTheirTypes() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("cat /proc/self/mountinfo")
            #expect(result.status == 0, "\(result)")
            let mounts = parseMountInfo(result.stdout)
            let expected = ["/proc": "proc", "/dev": "tmpfs", "/dev/pts": "devpts", "/dev/shm": "tmpfs",
                            "/dev/mqueue": "mqueue", "/sys": "sysfs"]
            for (point, type) in expected {
                #expect(mounts.contains { $0.mountPoint == point && $0.fsType == type }, "\(point) (\(type)) missing:\n\(result.stdout)")
            }
            #expect(mounts.contains { $0.mountPoint.hasPrefix("/sys/fs/cgroup") }, "no cgroup mount")
            #expect(mounts.first { $0.mountPoint == "/sys" }?.options.contains("ro") == true)
            let shm = mounts.first { $0.mountPoint == "/dev/shm" }
            #expect(shm.map { Set($0.options).isSuperset(of: ["nosuid", "nodev", "noexec"]) } == true)
        }

        @Test func tmpfsWithSizeAndModeOptionsIsMounted() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.addMount("/scratch", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1770", "size=1m"])
            let result = fx.sh("stat -c %a /scratch; grep ' /scratch ' /proc/self/mountinfo")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout).first == "1770")
            let mount = try #require(parseMountInfo(result.stdout).first { $0.mountPoint == "/scratch" }, "\(result)")
            #expect(mount.fsType == "tmpfs")
            #expect(Set(mount.options).isSuperset(of: ["rw", "nosuid", "nodev"]), "\(mount.options)")
            #expect(Set(mount.superOptions).isSuperset(of: ["size=1024k", "mode=1770"]), "\(mount.superOptions)")
            // The destination was created in the rootfs; nothing was mounted there on the host.
            #expect(fx.leakedMounts().isEmpty)
        }

        @Test func readWriteBindMountSharesFilesWithTheHost() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let shared = fx.makeHostDir("shared-rw")
            try "from-host".write(toFile: shared + "/in", atomically: true, encoding: .utf8)
            fx.addMount("/mnt/rw", source: shared, options: ["bind", "rw"])
            let result = fx.sh("cat /mnt/rw/in; echo; echo from-container > /mnt/rw/out; grep ' /mnt/rw ' /proc/self/mountinfo")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout).first == "from-host")
            #expect(readFile(shared + "/out") == "from-container\n")
            #expect(parseMountInfo(result.stdout).first?.options.contains("rw") == true)
        }

        @Test func readOnlyBindMountRefusesWrites() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let shared = fx.makeHostDir("shared-ro")
            try "from-host".write(toFile: shared + "/in", atomically: true, encoding: .utf8)
            fx.addMount("/mnt/ro", source: shared, options: ["bind", "ro"])
            let result = fx.sh("cat /mnt/ro/in; echo; touch /mnt/ro/out; echo touch=$?; grep ' /mnt/ro ' /proc/self/mountinfo")
            #expect(lines(result.stdout).prefix(2) == ["from-host", "touch=1"], "\(result)")
            #expect(result.stderr.contains("Read-only file system"))
            #expect(parseMountInfo(result.stdout).first?.options.contains("ro") == true, "\(result.stdout)")
            #expect(!FileManager.default.fileExists(atPath: shared + "/out"))
        }

        @Test func bindMountOfAFileWorks() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let dir = fx.makeHostDir("files")
            try "nameserver 192.0.2.53\n".write(toFile: dir + "/resolv.conf", atomically: true, encoding: .utf8)
            fx.addMount("/etc/resolv.conf", source: dir + "/resolv.conf", options: ["bind", "ro"])
            let result = fx.sh("cat /etc/resolv.conf")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "nameserver 192.0.2.53\n")
        }

        @Test func rbindCarriesSubmountsAndBindDoesNot() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let tree = fx.makeHostDir("tree")
            let sub = tree + "/sub"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            let mounted = host("mount -t tmpfs -o size=1m berth-e2e-sub \(sub) && echo submount > \(sub)/marker")
            try #require(mounted.status == 0, "\(mounted)")
            fx.onCleanup { umount2(sub, Int32(MNT_DETACH)) }
            fx.addMount("/mnt/bind", source: tree, options: ["bind"])
            fx.addMount("/mnt/rbind", source: tree, options: ["rbind"])
            let result = fx.sh("ls /mnt/bind/sub; echo --; cat /mnt/rbind/sub/marker")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["--", "submount"])
        }

        /// A host mount made after create reaches the container only through a slave/shared mount.
        func propagationSeen(_ option: String) throws -> String {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let tree = fx.makeHostDir("prop")
            let sub = tree + "/sub"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            let shared = host("mount --bind \(tree) \(tree) && mount --make-shared \(tree)")
            try #require(shared.status == 0, "\(shared)")
            fx.onCleanup { umount2(sub, Int32(MNT_DETACH)); umount2(tree, Int32(MNT_DETACH)) }
            fx.addMount("/mnt/prop", source: tree, options: ["rbind", option])
            let out = fx.dir + "/container-stdout"
            let created = fx.create(["sh", "-c", "cat /mnt/prop/sub/marker 2>/dev/null || echo unseen"], stdoutPath: out)
            try #require(created.status == 0, "\(created)")
            let mounted = host("mount -t tmpfs -o size=1m berth-e2e-prop \(sub) && echo seen > \(sub)/marker")
            try #require(mounted.status == 0, "\(mounted)")
            let started = fx.runtime(["start", fx.id])
            try #require(started.status == 0, "\(started)")
            #expect(fx.waitForStatus("stopped"))
            return readFile(out)
        }

        @Test func rslaveBindMountReceivesLaterHostMounts() throws {
            #expect(try propagationSeen("rslave") == "seen\n")
        }

        @Test func rprivateBindMountDoesNotReceiveLaterHostMounts() throws {
            #expect(try propagationSeen("rprivate") == "unseen\n")
        }

        @Test func mqueueIsMountedAndUsable() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("grep ' /dev/mqueue ' /proc/self/mountinfo; stat -c %a /dev/mqueue")
            #expect(result.status == 0, "\(result)")
            let mount = parseMountInfo(result.stdout).first
            #expect(mount?.fsType == "mqueue", "\(result.stdout)")
            #expect(lines(result.stdout).last == "1777")
        }

        /// rootfs/evil is a symlink to a host directory; mounting on /evil must stay inside the rootfs.
        func symlinkEscape(target: (String) -> String) throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let hostDir = "/tmp/berth-e2e-hostx-\(uniqueToken())"
            try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
            try "host".write(toFile: hostDir + "/host-marker", atomically: true, encoding: .utf8)
            fx.onCleanup {
                umount2(hostDir, Int32(MNT_DETACH))
                try? FileManager.default.removeItem(atPath: hostDir)
            }
            try FileManager.default.createSymbolicLink(atPath: fx.rootfs + "/evil", withDestinationPath: target(hostDir))
            fx.addMount("/evil", type: "tmpfs", source: "tmpfs", options: ["size=1m"])
            let result = fx.sh("ls -A /evil; touch /evil/from-container; cat /proc/self/mountinfo")
            // Refusing the config is fine; mounting on the host path is not.
            if result.status == 0 {
                #expect(!result.stdout.contains("host-marker"), "container saw the host directory: \(result)")
                let inside = parseMountInfo(result.stdout).filter { $0.fsType == "tmpfs" && $0.mountPoint.contains("berth-e2e-hostx") }
                #expect(inside.count == 1, "tmpfs should land on the in-rootfs resolution of the link: \(result.stdout)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: hostDir) == ["host-marker"])
            #expect(!hostMounts().contains { $0.mountPoint == hostDir })
        }

        @Test func mountThroughAbsoluteSymlinkStaysInsideTheRootfs() throws {
            try symlinkEscape { $0 }
        }

        @Test func mountThroughRelativeSymlinkStaysInsideTheRootfs() throws {
            try symlinkEscape { "../../../../../../../../..\($0)" }
        }
    }
}
