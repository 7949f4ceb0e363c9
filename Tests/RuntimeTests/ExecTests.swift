import Foundation
import Testing

extension RuntimeE2E {
    /// `exec` into a running container.
    @Suite struct Exec {
        @Test func execJoinsTheContainersNamespaces() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config["hostname"] = "exec-box"
            let pid = try fx.startLongRunning()
            let kinds = ["pid", "net", "mnt", "uts", "ipc"]
            let result = fx.runtime(["exec", fx.id, "sh", "-c", "hostname; echo $$; " + kinds.map { "readlink /proc/self/ns/\($0)" }.joined(separator: "; ")])
            #expect(result.status == 0, "\(result)")
            let out = lines(result.stdout)
            #expect(out.first == "exec-box")
            #expect(out.dropFirst().first != "1", "exec'd process must not be pid 1")
            let expected = kinds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\($0)") }
            #expect(Array(out.dropFirst(2)) == expected)
        }

        @Test func execSeesTheSamePidNamespaceAsInit() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = try fx.startLongRunning(["sleep", "1000"])
            let result = fx.runtime(["exec", fx.id, "cat", "/proc/1/cmdline"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.replacingOccurrences(of: "\0", with: " ").hasPrefix("sleep 1000"))
        }

        @Test func execAppliesEnvCwdAndUser() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = try fx.startLongRunning()
            let result = fx.runtime(["exec", "--env", "FOO=bar baz", "--cwd", "/tmp", "--user", "1000:1000", fx.id,
                                     "sh", "-c", "echo \"$FOO\"; pwd; id -u; id -g; echo $PATH"])
            #expect(result.status == 0, "\(result)")
            #expect(lines(result.stdout).prefix(4) == ["bar baz", "/tmp", "1000", "1000"])
            // The config's env is the base: PATH comes from config.json.
            #expect(lines(result.stdout).last?.contains("/bin") == true)
        }

        @Test func execPropagatesTheExitStatus() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = try fx.startLongRunning()
            let result = fx.runtime(["exec", fx.id, "sh", "-c", "echo out; echo err >&2; exit 7"])
            #expect(result.status == 7, "\(result)")
            #expect(result.stdout == "out\n")
            #expect(result.stderr.contains("err"))
        }

        @Test func execRunsTheProcessFromAProcessFile() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            _ = try fx.startLongRunning()
            let process: [String: Any] = [
                "terminal": false,
                "user": ["uid": 65534, "gid": 65534, "additionalGids": [1000]],
                "args": ["sh", "-c", "echo \"$MODE\"; pwd; id -u; id -G; grep ^CapEff /proc/self/status"],
                "env": ["PATH=/bin", "MODE=from-process-file"],
                "cwd": "/home/app",
                "capabilities": ["bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"],
                                 "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]],
                "noNewPrivileges": true,
            ]
            let file = fx.dir + "/process.json"
            _ = FileManager.default.createFile(atPath: file, contents: try JSONSerialization.data(withJSONObject: process))
            let result = fx.runtime(["exec", "--process", file, fx.id])
            #expect(result.status == 0, "\(result)")
            let out = lines(result.stdout)
            #expect(out.prefix(3) == ["from-process-file", "/home/app", "65534"])
            #expect(out.dropFirst(3).first.map { Set($0.split(separator: " ")) } == ["65534", "1000"])
            #expect(out.last.flatMap { statusField($0, "CapEff") } == "0000000000000020")
        }

        @Test func execDetachWritesThePidOfAProcessInsideTheContainer() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let initPid = try fx.startLongRunning()
            let pidFile = fx.dir + "/exec.pid"
            let result = fx.runtime(["exec", "--detach", "--pid-file", pidFile, fx.id, "sleep", "1000"], timeout: 10)
            #expect(result.status == 0, "\(result)")
            let pid = try #require(Int32(readFile(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)), "pid file: \(readFile(pidFile))")
            #expect(processAlive(pid))
            #expect(poll { readFile("/proc/\(pid)/cmdline").hasPrefix("sleep") }, "\(readFile("/proc/\(pid)/cmdline"))")
            #expect(inode(of: "/proc/\(pid)/ns/pid") == inode(of: "/proc/\(initPid)/ns/pid"))
        }

        @Test func execIntoAStoppedContainerIsRefused() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let created = fx.create(["true"])
            try #require(created.status == 0, "\(created)")
            #expect(fx.runtime(["start", fx.id]).status == 0)
            #expect(fx.waitForStatus("stopped"))
            let result = fx.runtime(["exec", fx.id, "true"])
            // runc exits 255 here; any failure status will do.
            #expect(result.status != 0, "\(result)")
        }
    }
}
