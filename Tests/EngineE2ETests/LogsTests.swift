// docker logs: streams kept apart, --tail, -t, --since, -f ending with the container.
import Foundation
import Testing

extension EngineE2E {
    @Suite("docker logs") struct Logs {
        /// Stdout lines and stderr lines go to the CLI's stdout and stderr (docker logs X 2>/dev/null).
        @Test func stdoutAndStderrAreSeparated() throws {
            let d = try currentDaemon()
            let name = uniqueName("logs")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c",
                       "for i in 1 2 3 4; do echo out$i; echo err$i >&2; done; sleep 1000")
            #expect(eventually { d.docker("logs", name).lines.count == 4 })
            let both = d.dockerOK("logs", name)
            #expect(both.stdout == "out1\nout2\nout3\nout4\n", "\(both)")
            #expect(both.stderr == "err1\nerr2\nerr3\nerr4\n", "\(both)")
            let onlyOut = d.shell("docker logs \(name) 2>/dev/null")
            #expect(onlyOut.stdout == "out1\nout2\nout3\nout4\n" && onlyOut.stderr.isEmpty, "\(onlyOut)")
            let onlyErr = d.shell("docker logs \(name) 2>&1 >/dev/null")
            #expect(onlyErr.stdout == "err1\nerr2\nerr3\nerr4\n", "\(onlyErr)")
        }

        @Test func tailAndTimestamps() throws {
            let d = try currentDaemon()
            let name = uniqueName("tail")
            defer { d.docker("rm", "-f", name) }
            #expect(d.docker("run", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done").status == 0)
            let tail = d.dockerOK("logs", "--tail", "2", name)
            #expect(tail.stdout == "line4\nline5\n", "\(tail)")
            #expect(d.dockerOK("logs", "--tail", "0", name).stdout.isEmpty)
            #expect(d.dockerOK("logs", "--tail", "all", name).lines.count == 5)
            let stamped = d.dockerOK("logs", "-t", name)
            #expect(stamped.lines.count == 5, "\(stamped)")
            for (i, line) in stamped.lines.enumerated() {
                #expect(matches(line, #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z line\#(i + 1)$"#), "\(line)")
            }
            let lastStamped = d.dockerOK("logs", "-t", "--tail", "1", name)
            #expect(matches(lastStamped.out, #"^\d{4}-\d\d-\d\dT[0-9:.]+Z line5$"#), "\(lastStamped)")
        }

        @Test func sinceSkipsEarlierLines() throws {
            let d = try currentDaemon()
            let name = uniqueName("since")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "echo early; sleep 3; echo late; sleep 1000")
            #expect(eventually(timeout: 5, interval: 0.05) { d.docker("logs", name).stdout == "early\n" })
            let between = Date()
            #expect(eventually(timeout: 10) { d.docker("logs", name).stdout == "early\nlate\n" })
            let since = d.dockerOK("logs", "--since", unixTimestamp(between), name)
            #expect(since.stdout == "late\n", "--since \(unixTimestamp(between)): \(since)")
            let rfc3339 = ISO8601DateFormatter().string(from: between.addingTimeInterval(-60))
            #expect(d.dockerOK("logs", "--since", rfc3339, name).stdout == "early\nlate\n")
            #expect(d.dockerOK("logs", "--since", "2099-01-01T00:00:00Z", name).stdout.isEmpty)
            let until = d.dockerOK("logs", "--until", unixTimestamp(between), name)
            #expect(until.stdout == "early\n", "--until: \(until)")
        }

        @Test func followEndsWhenTheContainerExits() throws {
            let d = try currentDaemon()
            let name = uniqueName("follow")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "echo one; sleep 1; echo two")
            let follow = d.docker(["logs", "-f", name], timeout: 15)
            #expect(follow.status == 0, "\(follow)")
            #expect(follow.stdout == "one\ntwo\n", "\(follow)")
            #expect(follow.seconds < 10, "\(follow)")
            // Following an exited container prints what there is and returns at once.
            let again = d.docker(["logs", "-f", name], timeout: 10)
            #expect(again.status == 0 && again.stdout == "one\ntwo\n" && again.seconds < 5, "\(again)")
        }
    }
}
