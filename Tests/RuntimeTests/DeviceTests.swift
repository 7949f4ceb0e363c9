import Foundation
import Testing

extension RuntimeE2E {
    /// /dev as the container sees it.
    @Suite struct Devices {
        @Test func standardDevicesExistWithTheRightNumbers() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let nodes = ["null", "zero", "full", "random", "urandom", "tty"]
            let result = fx.sh("""
                stat -c '%n %F %t:%T %a' \(nodes.map { "/dev/\($0)" }.joined(separator: " "))
                for l in ptmx fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done
                stat -c '%n %F' /dev/pts /dev/pts/ptmx
                echo hello > /dev/null && head -c 4 /dev/zero | wc -c && head -c 8 /dev/urandom | wc -c
                """)
            #expect(result.status == 0, "\(result)")
            let out = Set(lines(result.stdout))
            let expected = [
                "/dev/null character special file 1:3 666", "/dev/zero character special file 1:5 666",
                "/dev/full character special file 1:7 666", "/dev/random character special file 1:8 666",
                "/dev/urandom character special file 1:9 666", "/dev/tty character special file 5:0 666",
                "ptmx -> pts/ptmx", "fd -> /proc/self/fd", "stdin -> /proc/self/fd/0",
                "stdout -> /proc/self/fd/1", "stderr -> /proc/self/fd/2",
                "/dev/pts directory", "/dev/pts/ptmx character special file", "4", "8",
            ]
            for line in expected {
                #expect(out.contains(line), "missing `\(line)` in:\n\(result.stdout)")
            }
        }

        @Test func devHoldsNothingFromTheHost() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("ls /dev")
            #expect(result.status == 0, "\(result)")
            let allowed: Set<String> = ["null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "fd",
                                        "stdin", "stdout", "stderr", "shm", "mqueue", "console", "core"]
            let extra = Set(lines(result.stdout)).subtracting(allowed)
            #expect(extra.isEmpty, "unexpected /dev entries: \(extra.sorted())")
        }

        @Test func extraLinuxDeviceIsCreatedWithModeAndOwner() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            // Owned by app (1000) with 0640: writable by app; root here has no CAP_DAC_OVERRIDE.
            fx.config[path: "process.user"] = ["uid": 1000, "gid": 1000]
            fx.config[path: "linux.devices"] = [[
                "path": "/dev/berth-null", "type": "c", "major": 1, "minor": 3,
                "fileMode": 0o640, "uid": 1000, "gid": 1000,
            ]]
            // Allow it in the devices cgroup too (1:3 is on runc's default allow list anyway).
            fx.config[path: "linux.resources.devices"] = [
                ["allow": false, "access": "rwm"],
                ["allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"],
            ]
            let result = fx.sh("stat -c '%F %t:%T %a %u:%g' /dev/berth-null; echo x > /dev/berth-null && echo writable")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["character special file 1:3 640 1000:1000", "writable"])
        }

        @Test func deviceCgroupDeniesUnlistedDevices() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            // /dev/kmsg-like node 1:11 created but not allowed by the devices cgroup.
            fx.config[path: "linux.devices"] = [["path": "/dev/berth-kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 0o666]]
            let result = fx.sh("stat -c '%t:%T' /dev/berth-kmsg; head -c1 /dev/berth-kmsg; echo read=$?")
            #expect(lines(result.stdout) == ["1:b", "read=1"], "\(result)")
            #expect(result.stderr.contains("Operation not permitted"), "\(result)")
        }
    }
}
