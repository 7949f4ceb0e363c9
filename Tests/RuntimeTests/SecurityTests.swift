import Foundation
import Testing

extension RuntimeE2E {
    /// Capabilities, no_new_privs, rlimits, OOM score, masked/readonly paths, sysctls, seccomp.
    @Suite struct Security {
        static let seccompArches = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]

        @Test func nonRootUserGetsExactlyTheConfiguredCapabilitySets() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.user"] = ["uid": 1000, "gid": 1000]
            fx.config[path: "process.capabilities"] = [
                "bounding": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
                "effective": ["CAP_NET_BIND_SERVICE"],
                "permitted": ["CAP_NET_BIND_SERVICE"],
                "inheritable": ["CAP_NET_BIND_SERVICE"],
                "ambient": ["CAP_NET_BIND_SERVICE"],
            ]
            let result = fx.sh("grep ^Cap /proc/self/status")
            #expect(result.status == 0, "\(result)")
            #expect(statusField(result.stdout, "CapInh") == "0000000000000400")
            #expect(statusField(result.stdout, "CapPrm") == "0000000000000400")
            #expect(statusField(result.stdout, "CapEff") == "0000000000000400")
            #expect(statusField(result.stdout, "CapBnd") == "0000000000000420")
            #expect(statusField(result.stdout, "CapAmb") == "0000000000000400")
        }

        @Test func rootGetsTheDefaultCapabilitiesAndNoOthers() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("grep ^Cap /proc/self/status")
            #expect(result.status == 0, "\(result)")
            // CAP_AUDIT_WRITE(29) | CAP_NET_BIND_SERVICE(10) | CAP_KILL(5)
            #expect(statusField(result.stdout, "CapPrm") == "0000000020000420")
            #expect(statusField(result.stdout, "CapEff") == "0000000020000420")
            #expect(statusField(result.stdout, "CapBnd") == "0000000020000420")
        }

        @Test func droppedCapabilityIsReallyMissing() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            // No CAP_CHOWN: root cannot give a file away.
            let result = fx.sh("touch /tmp/f; chown 1000 /tmp/f")
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("Operation not permitted"), "\(result)")
        }

        @Test func noNewPrivilegesIsSetOnlyWhenAsked() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.noNewPrivileges"] = true
            let on = fx.sh("grep ^NoNewPrivs /proc/self/status")
            #expect(on.status == 0, "\(on)")
            #expect(statusField(on.stdout, "NoNewPrivs") == "1")
            fx.config[path: "process.noNewPrivileges"] = false
            let off = fx.sh("grep ^NoNewPrivs /proc/self/status")
            #expect(off.status == 0, "\(off)")
            #expect(statusField(off.stdout, "NoNewPrivs") == "0")
        }

        @Test func rlimitsAreApplied() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.rlimits"] = [
                ["type": "RLIMIT_NOFILE", "soft": 512, "hard": 2048],
                ["type": "RLIMIT_CORE", "soft": 0, "hard": 0],
            ]
            let result = fx.sh("ulimit -n; ulimit -Hn; grep -E '^Max (open files|core file size)' /proc/self/limits")
            #expect(result.status == 0, "\(result)")
            let out = lines(result.stdout).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            #expect(out == ["512", "2048", "Max core file size 0 0 bytes", "Max open files 512 2048 files"])
        }

        @Test func oomScoreAdjIsApplied() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.oomScoreAdj"] = 123
            let result = fx.sh("cat /proc/self/oom_score_adj")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "123\n")
        }

        @Test func readonlyRootRefusesWritesButDevStaysWritable() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "root.readonly"] = true
            let result = fx.sh("touch /x; echo touch=$?; touch /dev/shm/ok && echo shm-ok; cat /proc/self/mountinfo")
            #expect(lines(result.stdout).first == "touch=1", "\(result)")
            #expect(result.stderr.contains("Read-only file system"), "\(result)")
            #expect(result.stdout.contains("shm-ok"))
            let root = parseMountInfo(result.stdout).first { $0.mountPoint == "/" }
            #expect(root?.options.contains("ro") == true, "\(result.stdout)")
            #expect(!FileManager.default.fileExists(atPath: fx.rootfs + "/x"))
        }

        @Test func maskedPathsAreEmptyAndUnwritable() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            try FileManager.default.createDirectory(atPath: fx.rootfs + "/etc/secret-dir", withIntermediateDirectories: true)
            try "top secret".write(toFile: fx.rootfs + "/etc/secret-dir/key", atomically: true, encoding: .utf8)
            try "top secret".write(toFile: fx.rootfs + "/etc/secret-file", atomically: true, encoding: .utf8)
            var masked = fx.config[path: "linux.maskedPaths"] as? [String] ?? []
            masked += ["/etc/secret-dir", "/etc/secret-file"]
            fx.config[path: "linux.maskedPaths"] = masked
            let result = fx.sh("""
                echo keys=$(wc -c < /proc/keys); echo timer=$(wc -c < /proc/timer_list)
                echo firmware=$(ls -A /sys/firmware | wc -l); echo dir=$(ls -A /etc/secret-dir | wc -l)
                echo file=$(cat /etc/secret-file | wc -c)
                touch /etc/secret-dir/new 2>/dev/null; echo dir-touch=$?
                """)
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["keys=0", "timer=0", "firmware=0", "dir=0", "file=0", "dir-touch=1"])
            // The rootfs itself is untouched.
            #expect(readFile(fx.rootfs + "/etc/secret-file") == "top secret")
        }

        @Test func readonlyPathsCannotBeWritten() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            try FileManager.default.createDirectory(atPath: fx.rootfs + "/data", withIntermediateDirectories: true)
            var ro = fx.config[path: "linux.readonlyPaths"] as? [String] ?? []
            ro.append("/data")
            fx.config[path: "linux.readonlyPaths"] = ro
            let result = fx.sh("""
                echo x > /proc/sys/kernel/hostname; echo sys=$?
                touch /data/f; echo data=$?
                cat /proc/sys/kernel/ostype
                grep -E ' /proc/sys | /data ' /proc/self/mountinfo
                """)
            let out = lines(result.stdout)
            #expect(out.prefix(3) == ["sys=1", "data=1", "Linux"], "\(result)")
            #expect(result.stderr.contains("Read-only file system"))
            let mounts = parseMountInfo(result.stdout)
            #expect(mounts.first { $0.mountPoint == "/proc/sys" }?.options.contains("ro") == true)
            #expect(mounts.first { $0.mountPoint == "/data" }?.options.contains("ro") == true)
        }

        @Test func networkSysctlIsSetInTheContainersNamespaceOnly() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let hostBefore = readFile("/proc/sys/net/ipv4/ip_forward")
            fx.config[path: "linux.sysctl"] = ["net.ipv4.ip_forward": "1", "net.ipv4.ping_group_range": "0 0"]
            let result = fx.sh("cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ping_group_range")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") } == ["1", "0 0"])
            #expect(readFile("/proc/sys/net/ipv4/ip_forward") == hostBefore)
        }

        @Test func ipcSysctlIsSetInTheContainersNamespace() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let hostBefore = readFile("/proc/sys/kernel/shmmax")
            fx.config[path: "linux.sysctl"] = ["kernel.shmmax": "123456789", "fs.mqueue.msg_max": "20"]
            let result = fx.sh("cat /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["123456789", "20"])
            #expect(readFile("/proc/sys/kernel/shmmax") == hostBefore)
        }

        @Test func sysctlOutsideTheContainersNamespacesIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let hostBefore = readFile("/proc/sys/vm/swappiness")
            fx.config[path: "linux.sysctl"] = ["vm.swappiness": "7"]
            let result = fx.sh("true")
            #expect(result.status == 1, "\(result)")
            if !fx.isRunc { #expect(result.stderr.contains("vm.swappiness"), "\(result)") }
            #expect(readFile("/proc/sys/vm/swappiness") == hostBefore)
        }

        @Test func seccompDeniesMkdirWithTheConfiguredErrno() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "linux.seccomp"] = [
                "defaultAction": "SCMP_ACT_ALLOW",
                "architectures": Security.seccompArches,
                "syscalls": [["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13]],
            ]
            let result = fx.sh("mkdir /tmp/d; echo mkdir=$?; touch /tmp/f && echo touch-ok; grep ^Seccomp: /proc/self/status")
            #expect(lines(result.stdout).prefix(2) == ["mkdir=1", "touch-ok"], "\(result)")
            #expect(statusField(result.stdout, "Seccomp") == "2", "seccomp filter mode expected")
            #expect(result.stderr.contains("Permission denied"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: fx.rootfs + "/tmp/d"))
        }

        @Test func seccompErrnoDefaultsToEPERM() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "linux.seccomp"] = [
                "defaultAction": "SCMP_ACT_ALLOW",
                "architectures": Security.seccompArches,
                "syscalls": [["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"]],
            ]
            let result = fx.sh("mkdir /tmp/d")
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("Operation not permitted"), "\(result)")
        }

        @Test func seccompArgumentFilterDeniesOnlyMatchingCalls() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "linux.seccomp"] = [
                "defaultAction": "SCMP_ACT_ALLOW",
                "architectures": Security.seccompArches,
                "syscalls": [
                    ["names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                     "args": [["index": 1, "value": 0o777, "op": "SCMP_CMP_EQ"]]],
                    ["names": ["fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                     "args": [["index": 2, "value": 0o777, "op": "SCMP_CMP_EQ"]]],
                ],
            ]
            let result = fx.sh("touch /tmp/f; chmod 755 /tmp/f; echo a=$?; chmod 777 /tmp/f; echo b=$?; stat -c %a /tmp/f")
            #expect(lines(result.stdout) == ["a=0", "b=1", "755"], "\(result)")
            #expect(result.stderr.contains("Operation not permitted"), "\(result)")
        }
    }
}
