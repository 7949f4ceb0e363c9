import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeE2E {
    /// Namespaces as the process sees them: new ones, joined ones, user mappings.
    @Suite struct Namespaces {
        @Test func processIsPid1InItsOwnPidNamespace() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("echo $$; ls /proc | grep -E '^[0-9]+$' | wc -l")
            #expect(result.status == 0, "\(result)")
            let out = lines(result.stdout)
            #expect(out.first == "1")
            // sh, ls, grep, wc (and maybe a subshell): never the host's hundreds.
            #expect((Int(out.last ?? "") ?? 99) <= 6, "\(result.stdout)")
        }

        @Test func newNetworkNamespaceHasOnlyLoopback() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let result = fx.sh("ls /sys/class/net; tail -n +3 /proc/net/dev | cut -d: -f1")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["lo", "lo"])
        }

        @Test func namespacesDifferFromTheHost() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let kinds = ["pid", "net", "ipc", "uts", "mnt"]
            let result = fx.sh(kinds.map { "stat -L -c %i /proc/self/ns/\($0)" }.joined(separator: "; "))
            #expect(result.status == 0, "\(result)")
            let inside = lines(result.stdout).compactMap { UInt64($0) }
            let outside = kinds.compactMap { inode(of: "/proc/self/ns/\($0)") }
            #expect(inside.count == kinds.count)
            for (kind, (a, b)) in zip(kinds, zip(inside, outside)) {
                #expect(a != b, "\(kind) namespace is the host's")
            }
        }

        @Test func joinsAnExistingNetworkNamespaceByPath() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let name = "berth-test-\(uniqueToken())"
            let added = host("ip netns add \(name)")
            try #require(added.status == 0, "\(added)")
            fx.onCleanup { host("ip netns delete \(name)") }
            let nsPath = "/run/netns/\(name)"
            let expected = try #require(inode(of: nsPath))
            fx.setNamespace("network", path: nsPath)
            let result = fx.sh("stat -L -c %i /proc/self/ns/net; readlink /proc/self/ns/net")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["\(expected)", "net:[\(expected)]"])
        }

        @Test func joinsAnExistingUtsNamespaceOfAnotherContainer() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config["hostname"] = "first-box"
            let pid = try fx.startLongRunning()
            let second = try BundleFixture(); defer { second.cleanup() }
            second.config.removeValue(forKey: "hostname")
            second.setNamespace("uts", path: "/proc/\(pid)/ns/uts")
            let result = second.sh("hostname; stat -L -c %i /proc/self/ns/uts")
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout) == ["first-box", "\(inode(of: "/proc/\(pid)/ns/uts") ?? 0)"])
        }

        @Test func userNamespaceMapsUidsAndGids() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.setNamespace("user")
            fx.config[path: "linux.uidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
            fx.config[path: "linux.gidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
            // A file owned by host 101000:101001 is app:1001 inside; host root is unmapped (overflow id).
            chown(fx.rootfs + "/home/app", 101000, 101001)
            let out = fx.makeHostDir("out")
            chown(out, 100000, 100000)
            // The container's root (host 100000) cannot create dirs in a host-root-owned rootfs.
            try FileManager.default.createDirectory(atPath: fx.rootfs + "/out", withIntermediateDirectories: true)
            fx.addMount("/out", source: out, options: ["bind", "rw"])
            let result = fx.sh("cat /proc/self/uid_map /proc/self/gid_map; id -u; stat -c %u:%g /home/app /bin/busybox; touch /out/made-inside")
            #expect(result.status == 0, "\(result)")
            let text = lines(result.stdout).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            #expect(text == ["0 100000 65536", "0 100000 65536", "0", "1000:1001", "65534:65534"])
            var st = stat()
            #expect(stat(out + "/made-inside", &st) == 0)
            #expect(st.st_uid == 100000 && st.st_gid == 100000, "host sees \(st.st_uid):\(st.st_gid)")
        }

        /// A new time namespace with linux.timeOffsets shifts CLOCK_BOOTTIME inside (/proc/uptime).
        @Test func timeNamespaceAppliesBoottimeOffset() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            if fx.isRunc { return }  // runc 1.1 has no time namespace support
            var namespaces = fx.config[path: "linux.namespaces"] as? [[String: Any]] ?? []
            namespaces.append(["type": "time"])
            fx.config[path: "linux.namespaces"] = namespaces
            fx.config[path: "linux.timeOffsets"] = ["boottime": ["secs": 86400, "nanosecs": 0]]
            let hostUptime = try Double(String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ")[0])!
            let result = fx.sh("cat /proc/uptime; readlink /proc/self/ns/time")
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            let inside = Double(lines.first?.split(separator: " ").first ?? "") ?? 0
            #expect(inside - hostUptime > 86000 && inside - hostUptime < 86800)
            let hostNS = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/time")
            #expect(lines.count > 1 && String(lines[1]) != hostNS)
        }
    }
}
