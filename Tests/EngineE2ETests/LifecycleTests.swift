// stop, kill, restart, pause, wait, rm, rename, names, inspect.
import Foundation
import Testing

extension EngineE2E {
    @Suite("container lifecycle") struct Lifecycle {
        @Test func nextExitWaitSeesAProcessThatExitsAtOnce() throws {
            let d = try currentDaemon()
            let name = uniqueName("quick")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("create", "--name", name, "busybox", "sh", "-c", "exit 3")
            // The wait is registered before the start; the process may exit before the engine
            // has recorded the start (the exit time is the shim's, earlier than the start time).
            final class Box: @unchecked Sendable { var response: HTTPResponse?; let done = DispatchSemaphore(value: 0) }
            let box = Box()
            Thread.detachNewThread {
                box.response = try? d.api("POST", "/containers/\(name)/wait?condition=next-exit", timeout: 15)
                box.done.signal()
            }
            usleep(300_000)
            d.dockerOK("start", name)
            #expect(box.done.wait(timeout: .now() + 15) == .success, "the next-exit wait answered")
            let code = (box.response?.json as? [String: Any])?["StatusCode"] as? Int
            #expect(code == 3, "\(String(describing: box.response))")
        }

        @Test func stopDeliversSIGTERMToATrap() throws {
            let d = try currentDaemon()
            let name = uniqueName("term")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c",
                       #"trap "echo got-term; exit 0" TERM; echo ready; while true; do sleep 0.1; done"#)
            #expect(eventually { d.docker("logs", name).stdout == "ready\n" })
            let stop = d.docker("stop", name)
            #expect(stop.status == 0 && stop.stdout == "\(name)\n", "\(stop)")
            #expect(stop.seconds < 5, "the trap exits at once: \(stop)")
            #expect(d.dockerOK("logs", name).stdout == "ready\ngot-term\n")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).out == "exited 0")
        }

        @Test func stopTimeoutKillsAProcessIgnoringTERM() throws {
            let d = try currentDaemon()
            let name = uniqueName("ignore")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c",
                       #"trap "" TERM; echo ready; while true; do sleep 0.1; done"#)
            #expect(eventually { d.docker("logs", name).stdout == "ready\n" })
            let stop = d.docker("stop", "-t", "1", name)
            #expect(stop.status == 0, "\(stop)")
            #expect(stop.seconds >= 0.9 && stop.seconds < 3.5, "SIGKILL after the 1 s grace: \(stop)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.ExitCode}}", name).out == "137")
            #expect(d.docker(["wait", name], timeout: 10).stdout == "137\n")
        }

        @Test func killSendsTheSignal() throws {
            let d = try currentDaemon()
            let name = uniqueName("usr1")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c",
                       #"trap "echo got-usr1" USR1; echo ready; while true; do sleep 0.1; done"#)
            #expect(eventually { d.docker("logs", name).stdout == "ready\n" })
            let kill = d.docker("kill", "-s", "USR1", name)
            #expect(kill.status == 0 && kill.stdout == "\(name)\n", "\(kill)")
            #expect(eventually { d.docker("logs", name).stdout == "ready\ngot-usr1\n" }, "\(d.docker("logs", name))")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Running}}", name).out == "true")
            d.dockerOK("kill", name)
            #expect(eventually { d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).out == "exited 137" })
            let notRunning = d.docker("kill", name)
            #expect(notRunning.status == 1 && notRunning.stderr.contains("is not running"), "\(notRunning)")
        }

        @Test func restartRunsTheCommandAgain() throws {
            let d = try currentDaemon()
            let name = uniqueName("restart")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "echo started; sleep 1000")
            #expect(eventually { d.docker("logs", name).stdout == "started\n" })
            let firstStart = d.dockerOK("inspect", "-f", "{{.State.StartedAt}} {{.State.Pid}}", name).out
            let restart = d.docker("restart", "-t", "1", name)
            #expect(restart.status == 0 && restart.stdout == "\(name)\n", "\(restart)")
            #expect(restart.seconds < 5, "sleep dies on SIGTERM at once: \(restart)")
            #expect(eventually { d.docker("logs", name).stdout == "started\nstarted\n" })
            let state = d.dockerOK("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", name).out
            #expect(state == "running 0", "a manual restart does not count: \(state)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.StartedAt}} {{.State.Pid}}", name).out != firstStart)
            // Restarting an exited container starts it.
            d.dockerOK("stop", "-t", "1", name)
            d.dockerOK("restart", name)
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}}", name).out == "running")
        }

        @Test func pauseAndUnpause() throws {
            let d = try currentDaemon()
            let name = uniqueName("pause")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done")
            let pause = d.docker("pause", name)
            #expect(pause.status == 0 && pause.stdout == "\(name)\n", "\(pause)")
            let status = d.dockerOK("ps", "--filter", "name=\(name)", "--format", "{{.Status}}").out
            #expect(matches(status, #"^Up .+ \(Paused\)$"#), "\(status)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", name).out == "paused true true")
            let again = d.docker("pause", name)
            #expect(again.status == 1 && again.stderr.contains("is already paused"), "\(again)")
            let unpause = d.docker("unpause", name)
            #expect(unpause.status == 0 && unpause.stdout == "\(name)\n", "\(unpause)")
            let after = d.dockerOK("ps", "--filter", "name=\(name)", "--format", "{{.Status}}").out
            #expect(after.hasPrefix("Up ") && !after.contains("Paused"), "\(after)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name).out == "running false")
            let notPaused = d.docker("unpause", name)
            #expect(notPaused.status == 1 && notPaused.stderr.contains("is not paused"), "\(notPaused)")
        }

        @Test func waitPrintsTheExitCode() throws {
            let d = try currentDaemon()
            let name = uniqueName("wait")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "sleep 1; exit 5")
            let wait = d.docker(["wait", name], timeout: 15)
            #expect(wait.status == 0 && wait.stdout == "5\n", "\(wait)")
            #expect(wait.seconds > 0.3, "wait blocks until the exit: \(wait)")
            #expect(d.docker(["wait", name], timeout: 5).stdout == "5\n", "waiting on an exited container returns at once")
        }

        @Test func rmOfARunningContainerNeedsForce() throws {
            let d = try currentDaemon()
            let name = uniqueName("rm")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000").out
            let rm = d.docker("rm", name)
            #expect(rm.status == 1, "\(rm)")
            // docker 28: cannot remove container "/x": container is running: stop the container before removing or force remove
            #expect(rm.stderr.hasPrefix("Error response from daemon: "), "\(rm)")
            #expect(rm.stderr.lowercased().contains("stop the container before"), "\(rm)")
            #expect(rm.stderr.contains("force remove"), "\(rm)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Running}}", name).out == "true")
            let force = d.docker("rm", "-f", name)
            #expect(force.status == 0 && force.stdout == "\(name)\n", "\(force)")
            #expect(d.docker("inspect", name).status == 1)
            #expect(!d.dockerOK("ps", "-a", "-q", "--no-trunc").lines.contains(id))
            // Nothing left of it on the host: no cgroup, no root filesystem mount.
            #expect(eventually(timeout: 5) { HostCleanup.cgroupDirectories(id: id).isEmpty },
                    "cgroups left: \(HostCleanup.cgroupDirectories(id: id))")
            #expect(!HostCleanup.mounts(under: d.dir).contains { $0.contains(id) }, "\(HostCleanup.mounts(under: d.dir))")
            #expect(eventually(timeout: 5) {
                HostCleanup.berthProcesses(under: d.dir).allSatisfy { !HostCleanup.commandLine($0).joined(separator: " ").contains(id) }
            }, "the container's shim exits")
            let missing = d.docker("rm", "e2e-no-such")
            #expect(missing.status == 1 && missing.stderr.contains("No such container: e2e-no-such"), "\(missing)")
        }

        @Test func renameChangesTheName() throws {
            let d = try currentDaemon()
            let old = uniqueName("old"), new = uniqueName("new")
            defer { d.docker("rm", "-f", old, new) }
            d.dockerOK("run", "-d", "--name", old, "busybox", "sleep", "1000")
            let rename = d.docker("rename", old, new)
            #expect(rename.status == 0 && rename.stdout.isEmpty, "\(rename)")
            #expect(d.dockerOK("inspect", "-f", "{{.Name}}", new).out == "/\(new)")
            #expect(d.docker("inspect", old).status == 1)
            #expect(d.dockerOK("ps", "--format", "{{.Names}}").lines.contains(new))
            // The old name is free again.
            d.dockerOK("create", "--name", old, "busybox", "true")
        }

        @Test func nameConflictGetsDockersMessage() throws {
            let d = try currentDaemon()
            let name = uniqueName("same")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000").out
            let r = d.docker("run", "-d", "--name", name, "busybox", "true")
            #expect(r.status == 125, "\(r)")
            let expected = "docker: Error response from daemon: Conflict. The container name \"/\(name)\" is already in use by container \"\(id)\". "
                + "You have to remove (or rename) that container to be able to reuse that name."
            #expect(r.stderr.hasPrefix(expected), "\(r)")
            let other = uniqueName("other")
            defer { d.docker("rm", "-f", other) }
            d.dockerOK("create", "--name", other, "busybox", "true")
            let rename = d.docker("rename", other, name)
            #expect(rename.status == 1 && rename.stderr.contains("Conflict."), "\(rename)")
        }

        @Test func invalidNamesAreRefused() throws {
            let d = try currentDaemon()
            for bad in ["bad name!", "-dash", "w"] {
                let r = d.docker("run", "-d", "--name", bad, "busybox", "true")
                #expect(r.status == 125, "\(bad): \(r)")
                #expect(r.stderr.contains("Invalid container name (\(bad)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"), "\(r)")
            }
        }

        @Test func inspectShowsStateConfigAndName() throws {
            let d = try currentDaemon()
            let name = uniqueName("inspect")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "-e", "E2E=1", "--label", "e2e.k=v", "busybox", "sleep", "1000").out
            let text = d.dockerOK("inspect", name)
            let array = try #require(parseJSON(text.stdout) as? [[String: Any]])
            #expect(array.count == 1)
            let c = try #require(array.first)
            #expect(c["Id"] as? String == id)
            #expect(c["Name"] as? String == "/\(name)")
            #expect((c["Image"] as? String)?.hasPrefix("sha256:") == true, "\(c["Image"] ?? "nil")")
            #expect(value(c, "State.Status") as? String == "running")
            #expect(value(c, "State.Running") as? Bool == true)
            #expect((value(c, "State.Pid") as? Int ?? 0) > 0)
            #expect(value(c, "Config.Cmd") as? [String] == ["sleep", "1000"])
            #expect(value(c, "Config.Image") as? String == "busybox")
            #expect((value(c, "Config.Env") as? [String])?.contains("E2E=1") == true)
            #expect((value(c, "Config.Labels") as? [String: String])?["e2e.k"] == "v")
            #expect(value(c, "HostConfig") is [String: Any])
            #expect(value(c, "RestartCount") as? Int == 0)
            #expect(d.dockerOK("inspect", "-f", "{{.State.ExitCode}}", name).out == "0")
            d.dockerOK("kill", name)
            #expect(eventually { d.docker("inspect", "-f", "{{.State.Status}}", name).out == "exited" })
            let exited = d.dockerOK("inspect", "-f", "{{.State.ExitCode}} {{.State.Running}} {{.State.Pid}}", name).out
            #expect(exited == "137 false 0", "\(exited)")
            let withExit = uniqueName("exit3")
            defer { d.docker("rm", "-f", withExit) }
            _ = d.docker("run", "--name", withExit, "busybox", "sh", "-c", "exit 3")
            #expect(d.dockerOK("inspect", "-f", "{{.State.ExitCode}}", withExit).out == "3")
            #expect(d.dockerOK("container", "inspect", "-f", "{{json .Config.Cmd}}", withExit).out == #"["sh","-c","exit 3"]"#)
        }
    }
}
