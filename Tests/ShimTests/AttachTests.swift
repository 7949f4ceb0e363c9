import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ShimTests {
    @Test func attachReceivesBothStreamsInOrder() throws {
        let script = "echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2"
        try withWorld(args: ["sh", "-c", script]) { world in
            let shim = try world.spawnShim(id: "attach-order", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let first = try shim.attach()
            let second = try shim.attach()
            #expect(try shim.command("start") == "ok \(pid)")
            // Both clients get everything; the shim closes them once the output is drained.
            for client in [first, second] {
                let (frames, eof) = client.readFrames(timeout: 20)
                #expect(eof)
                let order = turns(of: frames)
                #expect(order.map(\.0) == [1, 2, 1], "\(order)")
                #expect(order.map(\.1) == ["out1\n", "err1\n", "out2\n"])
            }
            #expect(shim.finalExitCode() == 0)
        }
    }

    @Test func stdinFramesReachTheProcessAndCloseStdinEndsIt() throws {
        try withWorld(args: ["cat"]) { world in
            let shim = try world.spawnShim(id: "stdin", dir: try world.makeDir("shim"), extra: ["--stdin"])
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let client = try shim.attach(stdin: true)
            #expect(try shim.command("start") == "ok \(pid)")
            client.sendFrame(stream: 0, Array("hello\n".utf8))
            let echoed = client.readFrames(timeout: 20) { text(of: $0, stream: 1).contains("hello\n") }
            #expect(text(of: echoed.frames, stream: 1) == "hello\n")
            client.sendFrame(stream: 0, Array("second".utf8))
            client.sendFrame(stream: 3)  // close stdin: cat sees EOF and exits
            let rest = client.readFrames(timeout: 20)
            #expect(rest.eof)
            #expect(text(of: rest.frames, stream: 1) == "second")
            #expect(shim.finalExitCode() == 0)
        }
    }

    @Test func ttyOutputIsRawOnStreamOneAndResizeReachesThePty() throws {
        try withWorld(args: ["sh", "-c", "sleep 0.3; stty size; printf 'a\\tb\\n'; echo err >&2"], terminal: true) { world in
            let shim = try world.spawnShim(id: "tty", dir: try world.makeDir("shim"), extra: ["--tty"])
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            #expect(!FileManager.default.fileExists(atPath: shim.dir + "/console.sock"), "removed once the pty master arrived")
            let client = try shim.attach()
            #expect(try shim.command("resize 33 77") == "ok")
            #expect(try shim.command("start") == "ok \(pid)")
            let (frames, eof) = client.readFrames(timeout: 20)
            #expect(eof)
            #expect(Set(frames.map(\.stream)) == [1], "a tty has one stream")
            let output = text(of: frames, stream: 1)
            #expect(output.contains("33 77\r\n"), "\(output.debugDescription)")
            #expect(output.contains("a\tb\r\n"))
            #expect(output.contains("err\r\n"))
            #expect(shim.finalExitCode() == 0)
        }
    }

    @Test func ttyStdinIsTyped() throws {
        try withWorld(args: ["sh", "-c", "read line; echo got:$line"], terminal: true) { world in
            let shim = try world.spawnShim(id: "tty-stdin", dir: try world.makeDir("shim"), extra: ["--tty", "--stdin"])
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let client = try shim.attach(stdin: true)
            #expect(try shim.command("start") == "ok \(pid)")
            client.sendFrame(stream: 0, Array("abc\n".utf8))
            let (frames, _) = client.readFrames(timeout: 20)
            #expect(text(of: frames, stream: 1).contains("got:abc"))
            #expect(shim.finalExitCode() == 0)
        }
    }

    @Test func aClientThatDoesNotReadIsDroppedNotWaitedFor() throws {
        // 8 MB of output: far more than the socket buffer plus the 1 MiB a client may lag.
        try withWorld(args: ["sh", "-c", "head -c 8000000 /dev/zero; echo done"]) { world in
            let shim = try world.spawnShim(id: "slow-client", dir: try world.makeDir("shim"))
            let pid = try #require(shim.processPid, "\(shim.readyLine)")
            let stalled = try shim.attach()
            #expect(try shim.command("start") == "ok \(pid)")
            let reply = try shim.command("wait", timeout: 60)
            #expect(reply.hasPrefix("exit 0 "), "\(reply)")
            // It got some frames, then the shim hung up on it.
            let (frames, eof) = stalled.readFrames(timeout: 20)
            #expect(eof)
            let received = frames.reduce(0) { $0 + $1.payload.count }
            #expect(received > 0 && received < 8_000_000, "\(received) bytes")
        }
    }
}
