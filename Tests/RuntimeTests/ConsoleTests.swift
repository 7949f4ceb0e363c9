import Foundation
import Testing

extension RuntimeE2E {
    /// terminal: true with --console-socket: the pty master arrives over SCM_RIGHTS.
    @Suite struct Console {
        static let receiver = """
            import array, os, socket, sys
            path = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(1)
            s.settimeout(15)
            conn, _ = s.accept()
            fds = array.array("i")
            msg, anc, flags, addr = conn.recvmsg(4096, socket.CMSG_SPACE(4 * fds.itemsize))
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
            conn.close()
            if len(fds) != 1:
                sys.exit("expected one fd, got %d" % len(fds))
            sys.stderr.write("fds=1\\n")
            out = b""
            while True:
                try:
                    chunk = os.read(fds[0], 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            sys.stdout.write(out.decode(errors="replace"))
            """

        @Test func consoleSocketReceivesThePtyMaster() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            let script = fx.dir + "/recv.py"
            try Console.receiver.write(toFile: script, atomically: true, encoding: .utf8)
            let socketPath = fx.dir + "/console.sock"
            let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/env"
            let listener = try BackgroundCommand(python, python == "/usr/bin/env" ? ["python3", script, socketPath] : [script, socketPath])
            #expect(poll { FileManager.default.fileExists(atPath: socketPath) }, "listener never bound \(socketPath)")

            fx.config[path: "process.terminal"] = true
            fx.config[path: "process.consoleSize"] = ["height": 30, "width": 100]
            let created = fx.create(["sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo stdio-is-tty; stty size; echo hello-from-pty"],
                                    extra: ["--console-socket", socketPath])
            if created.status != 0 { _ = listener.wait(timeout: 0.1) }
            try #require(created.status == 0, "\(created)")
            #expect(fx.runtime(["start", fx.id]).status == 0)
            #expect(fx.waitForStatus("stopped"))
            let received = listener.wait(timeout: 10)
            #expect(received.status == 0, "\(received)")
            let out = lines(received.stdout.replacingOccurrences(of: "\r", with: ""))
            #expect(out == ["/dev/pts/0", "stdio-is-tty", "30 100", "hello-from-pty"], "\(received)")
        }

        /// terminal: true without --console-socket: `run` relays the pty to its own stdio, as runc does.
        @Test func runWithoutConsoleSocketRelaysThePty() throws {
            let fx = try BundleFixture(); defer { fx.cleanup() }
            fx.config[path: "process.terminal"] = true
            fx.config[path: "process.consoleSize"] = ["height": 30, "width": 100]
            let result = fx.run(["sh", "-c", "tty; stty size; echo relayed"], stdin: "")
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains("/dev/pts/0"))
            #expect(lines.contains("30 100"))
            #expect(lines.contains("relayed"))
        }
    }
}
