import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ShimTests {
    @Test func readyLineNamesTheCreatedContainer() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let shim = try world.spawnShim(id: "ready-ok", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "ready line: \(shim.readyLine)")
            #expect(FileManager.default.fileExists(atPath: shim.dir + "/shim.sock"))
            #expect(shim.shimPid == shim.pid)
            // Created, not started: the status says so and the pid matches the ready line.
            #expect(try shim.command("status") == "created \(pid)")
            let mode = try FileManager.default.attributesOfItem(atPath: shim.socket)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func badBundleReportsTheRuntimesMessage() throws {
        try withWorld(args: ["true"]) { world in
            let emptyBundle = try world.makeDir("empty-bundle")
            let dir = try world.makeDir("shim")
            let ready = makePipe()
            var argv = world.shimArguments(id: "bad-bundle", dir: dir, extra: ["--log", world.base + "/bad.log"])
            argv[argv.firstIndex(of: "--bundle")! + 1] = emptyBundle
            let pid = try spawnProcess(argv, fd3: ready.write, newSession: true)
            close(ready.write)
            let line = readLine(ready.read, timeout: 60)
            close(ready.read)
            let status = waitExit(pid, timeout: 10)
            let text = try #require(line)
            #expect(text.hasPrefix("error "), "\(text)")
            #expect(text.contains("config.json"), "the runtime's message names the missing file: \(text)")
            print("bad bundle: \(text)")
            #expect(status == 1)
            #expect(!FileManager.default.fileExists(atPath: dir + "/shim.sock"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/shim.pid"))
            #expect(!FileManager.default.fileExists(atPath: world.base + "/bad.log"), "the unused log is removed too")
        }
    }

    @Test func waitReportsTheExitCode() throws {
        try withWorld(args: ["sh", "-c", "exit 3"]) { world in
            let shim = try world.spawnShim(id: "exit-code", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let before = nowNanos()
            let waiter = try ControlConnection(socket: shim.socket)
            waiter.send("wait\n")
            #expect(try shim.command("start") == "ok \(pid)")
            let reply = try #require(waiter.readLine())
            let parts = reply.split(separator: " ")
            #expect(parts.count == 3 && parts[0] == "exit" && parts[1] == "3", "\(reply)")
            let nanos = Int64(parts.last ?? "") ?? 0
            #expect(nanos >= before && nanos <= nowNanos())
            #expect(shim.exitRecord?.code == 3)
            #expect(shim.exitRecord?.nanos == nanos)
            // The shim leaves once everyone has the answer, taking its socket and pid file along.
            #expect(waitExit(shim.pid, timeout: 10) == 0)
            #expect(!FileManager.default.fileExists(atPath: shim.dir + "/shim.sock"))
            #expect(!FileManager.default.fileExists(atPath: shim.dir + "/shim.pid"))
        }
    }

    @Test func killCommandSignalsTheProcess() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let shim = try world.spawnShim(id: "kill", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            #expect(try shim.command("start") == "ok \(pid)")
            #expect(try shim.command("status") == "running \(pid)")
            let waiter = try shim.waiter()
            #expect(try shim.command("kill 9") == "ok")
            let reply = waiter.readLine() ?? "<no reply>"
            #expect(reply.hasPrefix("exit 137 "), "\(reply)")
            #expect(shim.exitRecord?.code == 137)
        }
    }

    @Test func statusAndBadCommands() throws {
        try withWorld(args: ["sleep", "100"]) { world in
            let shim = try world.spawnShim(id: "status", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            #expect(try shim.command("status") == "created \(pid)")
            #expect(try shim.command("frobnicate now") == "error unknown command: frobnicate now")
            #expect(try shim.command("kill nine").hasPrefix("error usage: kill"))
            #expect(try shim.command("resize 24 80").hasPrefix("error "), "no terminal")
            // A command line longer than 4 KiB is refused, not buffered forever.
            let long = try ControlConnection(socket: shim.socket)
            long.send(String(repeating: "x", count: 5000))
            #expect(long.readLine()?.hasPrefix("error command too long") == true)
            #expect(try shim.command("start") == "ok \(pid)")
            #expect(try shim.command("start").hasPrefix("error "), "a second start is refused")
            #expect(try shim.command("status") == "running \(pid)")
            let waiter = try shim.waiter()
            #expect(try shim.command("kill 9") == "ok")
            #expect(waiter.readLine()?.hasPrefix("exit 137 ") == true)
        }
    }

    @Test func exitIsRecordedWithNobodyConnected() throws {
        try withWorld(args: ["sh", "-c", "sleep 0.2; exit 7"]) { world in
            let shim = try world.spawnShim(id: "unwatched", dir: try world.makeDir("shim"), extra: ["--log", world.base + "/log.json"])
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            #expect(try shim.command("start") == "ok \(pid)")
            // Nobody waits: the record appears anyway, and the shim goes away.
            #expect(eventually(timeout: 20) { shim.exitRecord != nil })
            #expect(shim.exitRecord?.code == 7)
            let raw = try String(contentsOfFile: shim.dir + "/exit", encoding: .utf8)
            #expect(raw.wholeMatch(of: /7 [0-9]{19}\n/) != nil, "\(raw)")
            #expect(waitExit(shim.pid, timeout: 10) == 0)
            #expect(!FileManager.default.fileExists(atPath: shim.dir + "/shim.sock"))
        }
    }

    @Test func shimOutlivesItsSpawnerAndIgnoresItsSignals() throws {
        try withWorld(args: ["sh", "-c", "sleep 1; exit 4"]) { world in
            let (intermediate, shim) = try world.spawnOrphanShim(id: "orphan", dir: try world.makeDir("shim"))
            #expect(intermediate == 0, "the intermediate setsid exited at once")
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let shimPid = try #require(shim.shimPid)
            // Not our child any more: berthd is gone as far as the shim is concerned.
            let stat = try String(contentsOfFile: "/proc/\(shimPid)/stat", encoding: .utf8)
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            #expect(Int32(fields[1]) != getpid())
            // The signals a dying daemon or terminal sends do not end it.
            for signal in [SIGHUP, SIGTERM, SIGINT, SIGPIPE, SIGQUIT] { kill(shimPid, signal) }
            usleep(100_000)
            #expect(isAlive(shimPid))
            // A later client (a restarted berthd) starts and waits.
            #expect(try shim.command("start") == "ok \(pid)")
            let reply = try shim.command("wait")
            #expect(reply.hasPrefix("exit 4 "), "\(reply)")
            // Reparented to init; this sandbox's init may not reap it, so only check it ended.
            #expect(eventually { !isAlive(shimPid) })
        }
    }
}
