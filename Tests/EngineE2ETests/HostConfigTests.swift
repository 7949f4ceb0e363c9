// Run options that end up in the OCI spec or the engine's policies: memory limit (inspect
// and the cgroup), capabilities, user, restart policy, --init, --stop-signal.
import Foundation
import Testing

extension EngineE2E {
    @Suite("run options") struct HostConfigOptions {
        @Test func memoryLimitInInspectAndCgroup() throws {
            let d = try currentDaemon()
            let name = uniqueName("mem")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "-m", "64m", "busybox", "sleep", "1000").out
            #expect(d.dockerOK("inspect", "-f", "{{.HostConfig.Memory}}", name).out == "67108864")
            let file = try #require(HostCleanup.memoryLimitFile(id: id),
                                    "no memory cgroup for \(id): \(HostCleanup.cgroupDirectories(id: id))")
            let limit = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(limit == "67108864", "\(file)")
            let stats = d.docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", name], timeout: 20)
            #expect(stats.out.hasSuffix(" / 64MiB"), "stats shows the limit: \(stats)")
        }

        @Test func capDropAll() throws {
            let d = try currentDaemon()
            let none = d.docker("run", "--rm", "--cap-drop", "ALL", "busybox", "grep", "CapEff", "/proc/self/status")
            #expect(none.stdout == "CapEff:\t0000000000000000\n", "\(none)")
            let defaults = d.docker("run", "--rm", "busybox", "grep", "CapEff", "/proc/self/status")
            #expect(defaults.stdout == "CapEff:\t00000000a80425fb\n", "docker's default set: \(defaults)")
            let added = d.docker("run", "--rm", "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "busybox", "grep", "CapEff", "/proc/self/status")
            #expect(added.stdout == "CapEff:\t0000000000001000\n", "\(added)")
        }

        @Test func userOption() throws {
            let d = try currentDaemon()
            let numeric = d.docker("run", "--rm", "--user", "1000:1000", "busybox", "id")
            #expect(numeric.stdout == "uid=1000(app) gid=1000(app) groups=1000(app)\n", "\(numeric)")
            let named = d.docker("run", "--rm", "-u", "nobody", "busybox", "id")
            #expect(named.stdout == "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", "\(named)")
            let unknown = d.docker("run", "--rm", "-u", "nosuchuser", "busybox", "id")
            #expect(unknown.status == 125, "\(unknown)")
            #expect(unknown.stderr.contains("unable to find user nosuchuser: no matching entries in passwd file"), "\(unknown)")
        }

        /// runc's read-only paths are read-only bind remounts that keep procfs's nosuid,nodev,noexec.
        @Test func readOnlyProcPathsKeepTheirFlags() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "busybox", "sh", "-c", "grep -E ' /proc/(sys|bus|fs|irq) ' /proc/mounts")
            #expect(r.lines.count == 4, "\(r)")
            for line in r.lines {
                let options = line.split(separator: " ").dropFirst(3).first.map { Set($0.split(separator: ",")) } ?? []
                #expect(options.isSuperset(of: ["ro", "nosuid", "nodev", "noexec"]), "as docker (runc) mounts it: \(line)")
            }
        }

        @Test func restartOnFailureCountsRestarts() throws {
            let d = try currentDaemon()
            let name = uniqueName("onfail")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 1")
            var state = ""
            let done = eventually(timeout: 20, interval: 0.2) {
                state = d.docker("inspect", "-f", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", name).out
                return state == "2 exited 1"
            }
            #expect(done, "after 2 restarts it stays exited: \(state)")
            usleep(500_000)
            #expect(d.dockerOK("inspect", "-f", "{{.RestartCount}}", name).out == "2", "no third restart")
            #expect(d.dockerOK("logs", name).stdout == "run\nrun\nrun\n", "three runs, one log")
            #expect(d.dockerOK("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", name).out == "on-failure 2")
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tini-static"),
                       "--init needs /usr/bin/tini-static (apt-get install tini)"))
        func initRunsTiniAsPid1() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "--init", "busybox", "ps", "-o", "pid,comm")
            #expect(r.status == 0, "\(r)")
            let pid1 = r.lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 ") }
            #expect(pid1.map { matches($0, #"^\s*1\s+docker-init$"#) } == true, "docker's init at pid 1: \(r)")
            #expect(r.lines.contains { matches($0, #"^\s*\d+\s+ps$"#) }, "\(r)")
            let code = d.docker("run", "--rm", "--init", "busybox", "sh", "-c", "exit 6")
            #expect(code.status == 6, "tini passes the exit code: \(code)")
        }

        @Test func stopSignalIsUsedByStop() throws {
            let d = try currentDaemon()
            let name = uniqueName("stopsig")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "--stop-signal", "USR1", "busybox", "sh", "-c",
                       #"trap "echo got-usr1; exit 0" USR1; echo ready; while true; do sleep 0.1; done"#)
            #expect(eventually { d.docker("logs", name).stdout == "ready\n" })
            let stop = d.docker("stop", name)
            #expect(stop.status == 0 && stop.seconds < 5, "\(stop)")
            #expect(d.dockerOK("logs", name).stdout == "ready\ngot-usr1\n")
            #expect(d.dockerOK("inspect", "-f", "{{.Config.StopSignal}} {{.State.ExitCode}}", name).out == "USR1 0")
        }
    }
}
