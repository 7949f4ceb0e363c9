// What must survive: berthd killed with SIGKILL (live restore), a shim killed with SIGKILL,
// clients that hang up mid-stream. These tests kill processes, so they get a daemon of their own.
import Foundation
import Glibc
import Testing

extension EngineE2E {
    @Suite("robustness", .berthDaemon("robustness")) struct Robustness {
        /// Starts berthd again on the same root; if it cannot (e.g. the old socket file is in the way),
        /// records that and retries without the socket file so the rest of the test can run.
        func relaunch(_ d: Daemon, sourceLocation: SourceLocation = #_sourceLocation) throws {
            do {
                try d.launch()
            } catch {
                Issue.record("berthd did not start again on the same root: \(error)", sourceLocation: sourceLocation)
                d.terminate()
                unlink(d.socket)
                try d.launch()
            }
        }

        /// A `docker logs -t` timestamp (RFC 3339 with nanoseconds) as a Date.
        func logDate(_ line: String) -> Date? {
            guard let space = line.firstIndex(of: " ") else { return nil }
            var stamp = String(line[..<space])
            guard stamp.hasSuffix("Z") else { return nil }
            stamp.removeLast()
            if let dot = stamp.firstIndex(of: ".") {
                let fraction = stamp[stamp.index(after: dot)...].prefix(3)
                stamp = String(stamp[..<dot]) + "." + fraction.padding(toLength: 3, withPad: "0", startingAt: 0)
            } else {
                stamp += ".000"
            }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: stamp + "Z")
        }

        @Test func containersSurviveKill9OfTheDaemon() throws {
            let d = try currentDaemon()
            let ticker = uniqueName("ticker"), quitter = uniqueName("quitter"), always = uniqueName("always")
            defer { d.docker("rm", "-f", ticker, quitter, always) }
            d.dockerOK("run", "-d", "--name", ticker, "busybox", "sh", "-c",
                       "trap 'echo bye; exit 0' TERM; i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done")
            d.dockerOK("run", "-d", "--name", quitter, "busybox", "sh", "-c", "sleep 1; exit 4")
            d.dockerOK("run", "-d", "--name", always, "--restart", "always", "busybox", "sh", "-c", "sleep 1; exit 1")
            #expect(eventually { d.docker("logs", ticker).lines.count >= 2 })
            let pid = try #require(pid_t(d.dockerOK("inspect", "-f", "{{.State.Pid}}", ticker).out))

            d.killHard()
            #expect(!d.isRunning)
            let killedAt = Date()
            usleep(2_000_000)   // the ticker logs ~10 lines, the quitter exits while berthd is down
            #expect(HostCleanup.processExists(pid), "the container runs on without berthd")
            let restartedAt = Date()
            try relaunch(d)

            let ps = d.dockerOK("ps", "--filter", "name=\(ticker)", "--format", "{{.Names}} {{.Status}}")
            #expect(matches(ps.out, #"^\#(ticker) Up "#), "\(ps)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", ticker).out == "running \(pid)")
            let logs = d.dockerOK("logs", "-t", ticker)
            let whileDown = logs.lines.compactMap(logDate).filter { $0 > killedAt.addingTimeInterval(0.1) && $0 < restartedAt }
            #expect(whileDown.count >= 5, "lines logged while berthd was down are kept: \(logs.stdout)")
            let count = logs.lines.count
            #expect(eventually(timeout: 5) { d.docker("logs", ticker).lines.count > count }, "the log keeps growing after the restore")

            let quit = d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", quitter).out
            #expect(quit == "exited 4", "an exit while berthd was down is picked up: \(quit)")
            #expect(d.docker(["wait", quitter], timeout: 5).stdout == "4\n")
            // A --restart always container that ended while berthd was down is started again.
            let restarted = eventually(timeout: 5) {
                let started = d.docker("inspect", "-f", "{{.State.StartedAt}}", always).out
                return ISO8601DateFormatter().date(from: String(started.prefix(19)) + "Z").map { $0 >= restartedAt.addingTimeInterval(-1) } ?? false
            }
            #expect(restarted, "restart policy applied after the restore: \(d.docker("inspect", "-f", "{{.State.Status}} {{.State.StartedAt}} {{.RestartCount}}", always).out)")

            let exec = d.docker("exec", ticker, "echo", "after-restore")
            #expect(exec.stdout == "after-restore\n", "\(exec)")
            let stop = d.docker("stop", ticker)
            #expect(stop.status == 0 && stop.seconds < 5, "\(stop)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", ticker).out == "exited 0")
            #expect(d.dockerOK("logs", "--tail", "1", ticker).stdout == "bye\n")
            #expect(eventually(timeout: 5) { !HostCleanup.processExists(pid) })
        }

        @Test func containersSurviveAGracefulDaemonRestart() throws {
            let d = try currentDaemon()
            let name = uniqueName("graceful")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let pid = d.dockerOK("inspect", "-f", "{{.State.Pid}}", name).out
            d.terminate()
            #expect(!d.isRunning, "berthd exits on SIGTERM")
            #expect(!FileManager.default.fileExists(atPath: d.socket), "berthd removes its socket on a clean exit")
            try relaunch(d)
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", name).out == "running \(pid)")
            let stop = d.docker("stop", "-t", "1", name)
            #expect(stop.status == 0 && stop.seconds < 4, "\(stop)")
        }

        @Test func kill9OfAShimMarksTheContainerExited() throws {
            let d = try currentDaemon()
            let name = uniqueName("shimkill")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000").out
            let containerPID = try #require(pid_t(d.dockerOK("inspect", "-f", "{{.State.Pid}}", name).out))
            let shims = (try? FileManager.default.contentsOfDirectory(atPath: d.execRoot + "/shims")) ?? []
            let shimDir = try #require(shims.first { !$0.isEmpty && id.hasPrefix($0) }.map { d.execRoot + "/shims/" + $0 },
                                       "no shim directory for \(id) in \(shims)")
            let text = try String(contentsOfFile: shimDir + "/shim.pid", encoding: .utf8)
            let shimPID = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(text)")
            #expect(HostCleanup.commandLine(shimPID).first?.hasSuffix("berth-shim") == true)
            kill(shimPID, SIGKILL)

            var status = ""
            let exited = eventually(timeout: 10) {
                status = d.docker("ps", "-a", "--filter", "name=\(name)", "--format", "{{.Status}}").out
                return status.hasPrefix("Exited")
            }
            #expect(exited, "ps shows Exited: \(status)")
            #expect(d.dockerOK("inspect", "-f", "{{.State.Status}} {{.State.Running}}", name).out == "exited false")
            #expect(d.isRunning && d.ping(), "berthd keeps serving")
            #expect(d.docker("run", "--rm", "busybox", "echo", "still-works").stdout == "still-works\n")
            #expect(d.docker("rm", name).status == 0)
            #expect(eventually(timeout: 10) { !HostCleanup.processExists(containerPID) },
                    "the container's process does not outlive its removal")
            #expect(eventually(timeout: 5) { HostCleanup.cgroupDirectories(id: id).isEmpty },
                    "cgroups left: \(HostCleanup.cgroupDirectories(id: id))")
        }

        @Test func clientsHangingUpMidStreamDoNotHurtTheDaemon() throws {
            let d = try currentDaemon()
            let name = uniqueName("hangup")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "while true; do echo tick; sleep 0.05; done")
            let streams: [[String]] = [
                ["logs", "-f", name], ["logs", "-f", "--tail", "1", name], ["events"], ["stats", name],
                ["attach", "--no-stdin", name], ["logs", "-f", name],
            ]
            for args in streams {
                let child = try ChildProcess.spawn(["docker"] + args, environment: d.environment, stdout: .devNull, stderr: .devNull)
                usleep(400_000)
                #expect(!child.poll(), "docker \(args.joined(separator: " ")) is still streaming")
                child.signal(SIGKILL, group: true)
                _ = child.wait(seconds: 5)
                child.killAndReap()
            }
            // A raw client that sends a request and closes at once, and one that sends half a request.
            for request in ["GET /v1.47/containers/\(name)/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                            "POST /v1.47/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Im"] {
                let fd = try UnixHTTP.connect(d.socket, timeout: 5)
                try UnixHTTP.sendAll(fd, Data(request.utf8))
                usleep(200_000)
                close(fd)
            }
            usleep(300_000)
            #expect(d.isRunning, "berthd is alive; log:\n\(d.log().suffix(2000))")
            #expect(d.ping())
            #expect(d.dockerOK("ps", "--filter", "name=\(name)", "--format", "{{.Status}}").out.hasPrefix("Up "))
            #expect(d.dockerOK("logs", "--tail", "1", name).stdout == "tick\n")
        }
    }
}
