import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ShimTests {
    @Test func execRunsASecondProcessWithItsOwnOutputAndExitCode() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let container = try world.spawnShim(id: "exec-host", dir: try world.makeDir("container"), extra: ["--log", world.base + "/log.json"])
            let pid = try #require(container.processPid, "\(container.readyLine)")
            #expect(try container.command("start") == "ok \(pid)")

            let process = try world.writeExecProcess(["sh", "-c", "echo exec-out; sleep 0.1; echo exec-err >&2; exit 5"])
            let execLog = world.base + "/exec-log.json"
            let exec = try world.spawnShim(id: "exec-host", dir: try world.makeDir("exec"), extra: ["--exec", process, "--log", execLog])
            #expect(exec.readyLine == "ok 0")
            #expect(try exec.command("status") == "created 0")
            let client = try exec.attach()
            let started = try exec.command("start")
            let execPid = try #require(Int32(started.dropFirst(3)), "\(started)")
            #expect(execPid != pid)
            let (frames, eof) = client.readFrames(timeout: 20)
            #expect(eof)
            #expect(text(of: frames, stream: 1) == "exec-out\n")
            #expect(text(of: frames, stream: 2) == "exec-err\n")
            #expect(exec.finalExitCode() == 5)
            #expect(!FileManager.default.fileExists(atPath: execLog), "exec output is not logged")

            // The container itself runs on, and its log has nothing of the exec.
            #expect(try container.command("status") == "running \(pid)")
            #expect(logEntries(world.base + "/log.json").entries.isEmpty)
            let waiter = try container.waiter()
            #expect(try container.command("kill 9") == "ok")
            #expect(waiter.readLine()?.hasPrefix("exit 137 ") == true)
        }
    }

    @Test func execOfAMissingExecutableReportsTheRuntimesMessage() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let container = try world.spawnShim(id: "exec-missing", dir: try world.makeDir("container"))
            let pid = try #require(container.processPid, "\(container.readyLine)")
            #expect(try container.command("start") == "ok \(pid)")
            let process = try world.writeExecProcess(["/no/such/binary"])
            let exec = try world.spawnShim(id: "exec-missing", dir: try world.makeDir("exec"), extra: ["--exec", process])
            #expect(exec.readyLine == "ok 0")
            let waiter = try ControlConnection(socket: exec.socket)
            waiter.send("wait\n")
            let reply = try exec.command("start")
            #expect(reply.hasPrefix("error "), "\(reply)")
            #expect(reply.lowercased().contains("no such file"), "\(reply)")
            print("exec of a missing executable: \(reply)")
            #expect(waiter.readLine() == reply, "waiters hear why nothing ran")
            // Nothing will run: the exec shim leaves, writing no exit record.
            #expect(waitExit(exec.pid, timeout: 10) == 1)
            #expect(exec.exitRecord == nil)
            #expect(try container.command("status") == "running \(pid)")
        }
    }

    @Test func execWithATerminalGetsItsOwnPty() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let container = try world.spawnShim(id: "exec-tty", dir: try world.makeDir("container"))
            let pid = try #require(container.processPid, "\(container.readyLine)")
            #expect(try container.command("start") == "ok \(pid)")
            let process = try world.writeExecProcess(["sh", "-c", "tty; echo err >&2; exit 2"], terminal: true)
            let exec = try world.spawnShim(id: "exec-tty", dir: try world.makeDir("exec"), extra: ["--exec", process, "--tty"])
            #expect(exec.readyLine == "ok 0")
            #expect(try exec.command("resize 10 10").hasPrefix("error "), "no pty before start")
            let client = try exec.attach()
            #expect(try exec.command("start").hasPrefix("ok "))
            #expect(!FileManager.default.fileExists(atPath: exec.dir + "/console.sock"))
            let (frames, eof) = client.readFrames(timeout: 20)
            #expect(eof)
            #expect(Set(frames.map(\.stream)) == [1])
            let output = text(of: frames, stream: 1)
            #expect(output.contains("/dev/pts/") && output.contains("err\r\n"), "\(output.debugDescription)")
            #expect(exec.finalExitCode() == 2)
            #expect(try container.command("status") == "running \(pid)")
        }
    }

    @Test func aBackgroundProcessHoldingThePipesDoesNotDelayTheExit() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let container = try world.spawnShim(id: "exec-bg", dir: try world.makeDir("container"))
            let pid = try #require(container.processPid, "\(container.readyLine)")
            #expect(try container.command("start") == "ok \(pid)")
            // The exec'd shell leaves a child behind that keeps stdout and stderr open.
            let process = try world.writeExecProcess(["sh", "-c", "sleep 30 & echo started"])
            let exec = try world.spawnShim(id: "exec-bg", dir: try world.makeDir("exec"), extra: ["--exec", process])
            let client = try exec.attach()
            let waiter = try exec.waiter()
            let begin = Date()
            #expect(try exec.command("start").hasPrefix("ok "))
            let reply = waiter.readLine(timeout: 20) ?? "<no reply>"
            #expect(reply.hasPrefix("exit 0 "), "\(reply)")
            #expect(Date().timeIntervalSince(begin) < 5, "the drain is bounded, not until the sleep ends")
            let (frames, eof) = client.readFrames(timeout: 20)
            #expect(eof)
            #expect(text(of: frames, stream: 1) == "started\n")
        }
    }
}
