// `berth build`'s incremental context transfer against berthd: only new and changed files are
// sent, the image follows the client's files (changes, additions, removals, .dockerignore,
// symlinks), the cache follows content; concurrent builds of one context, aborted uploads, prune,
// and a client that goes away in the middle of a build. A daemon of its own.
import Foundation
import Glibc
import Testing

extension EngineE2E {
    @Suite("build context sync", .berthDaemon("build-sync")) struct BuildContextSync {
        func environment(_ d: Daemon) -> [String: String] {
            d.environment.merging(["BERTH_HOST": d.host, "BERTH_DEBUG": "1"]) { _, new in new }
        }

        func berth(_ d: Daemon, _ args: [String]) -> CommandResult {
            let result = runCommand([d.binDir + "/berth"] + args, environment: environment(d), timeout: 120)
            d.noteIDs(in: result.stdout)
            return result
        }

        /// How many files the CLI sent (it says so on stderr with BERTH_DEBUG).
        func sent(_ result: CommandResult) -> Int? {
            guard let range = result.stderr.range(of: #"(\d+) files sent"#, options: .regularExpression) else { return nil }
            return Int(result.stderr[range].split(separator: " ")[0])
        }

        func cached(_ result: CommandResult) -> Int { result.stdout.components(separatedBy: "Using cache").count - 1 }

        /// Rewrites a file in place (same inode), as an editor that truncates and writes does.
        func rewriteInPlace(_ path: String, _ text: String) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        @Test func onlyChangedFilesAreSentAndTheImageFollowsTheContext() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext([
                "Dockerfile": "FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . | sort > /list && cat data.txt > /data && readlink link > /link\nCMD [\"cat\", \"/data\"]\n",
                ".dockerignore": "ignored.txt\nsub/*.tmp\n",
                "data.txt": "one\n", "sub/keep.txt": "keep\n", "ignored.txt": "secret\n", "sub/x.tmp": "tmp\n",
            ])
            defer { ctx.remove() }
            symlink("data.txt", ctx.path + "/link")
            let tag = uniqueName("sync")
            defer { d.docker("rmi", "-f", tag) }
            func files() -> [String] { d.docker("run", "--rm", tag, "cat", "/list").lines }

            let first = berth(d, ["build", "-t", tag, ctx.path])
            #expect(first.status == 0 && sent(first) == 4, "Dockerfile, .dockerignore, data.txt, sub/keep.txt: \(first)")
            #expect(files() == [".", "./.dockerignore", "./Dockerfile", "./data.txt", "./link", "./sub", "./sub/keep.txt"])
            #expect(d.docker("run", "--rm", tag, "cat", "/link").out == "data.txt")

            let again = berth(d, ["build", "-t", tag, ctx.path])
            #expect(again.status == 0 && sent(again) == 0 && cached(again) == 3, "nothing sent, all cached: \(again)")

            // A new mtime, the same content: the file is sent again, the cache still hits.
            utimes(ctx.path + "/data.txt", nil)
            let touched = berth(d, ["build", "-t", tag, ctx.path])
            #expect(sent(touched) == 1 && cached(touched) == 3, "\(touched)")

            // New content of the same size, written in place: sent, and COPY runs again.
            try rewriteInPlace(ctx.path + "/data.txt", "two\n")
            let changed = berth(d, ["build", "-t", tag, ctx.path])
            #expect(changed.status == 0 && sent(changed) == 1 && cached(changed) == 0, "\(changed)")
            #expect(d.docker("run", "--rm", tag).out == "two")

            // An ignored file changes: nothing is sent, nothing rebuilt.
            try ctx.write("ignored.txt", "other secret\n")
            try ctx.write("sub/y.tmp", "tmp\n")
            let ignored = berth(d, ["build", "-t", tag, ctx.path])
            #expect(sent(ignored) == 0 && cached(ignored) == 3, "\(ignored)")

            // Added, removed, a symlink retargeted.
            try ctx.write("new.txt", "new\n")
            try FileManager.default.removeItem(atPath: ctx.path + "/sub/keep.txt")
            unlink(ctx.path + "/link")
            symlink("sub", ctx.path + "/link")
            let edited = berth(d, ["build", "-t", tag, ctx.path])
            #expect(edited.status == 0 && sent(edited) == 1, "only new.txt: \(edited)")
            #expect(files() == [".", "./.dockerignore", "./Dockerfile", "./data.txt", "./link", "./new.txt", "./sub"])
            #expect(d.docker("run", "--rm", tag, "cat", "/link").out == "sub")

            // The docker CLI (tar upload) builds the same context to the same result.
            let docker = runCommand(["docker", "build", "-q", ctx.path], environment: d.environment.merging(["DOCKER_BUILDKIT": "0"]) { _, new in new }, timeout: 120)
            #expect(docker.status == 0, "\(docker)")
            #expect(d.docker("run", "--rm", docker.out, "cat", "/list").lines == files())
        }

        @Test func concurrentBuildsOfOneContextSeeTheirOwnFiles() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nRUN sleep 2\nCOPY data.txt /data\n", "data.txt": "first\n"])
            defer { ctx.remove() }
            let (tagA, tagB) = (uniqueName("ctx-a"), uniqueName("ctx-b"))
            defer { d.docker("rmi", "-f", tagA, tagB) }
            let before = d.dockerOK("ps", "-q").lines.count
            let a = try ChildProcess.spawn([d.binDir + "/berth", "build", "--no-cache", "-t", tagA, ctx.path], environment: environment(d),
                                           stdout: .devNull, stderr: .devNull)
            defer { a.killAndReap() }
            // While A sleeps in its RUN (its context already synced), B changes the file and builds.
            #expect(eventually(timeout: 30) { d.dockerOK("ps", "-q").lines.count > before })
            try ctx.write("data.txt", "second\n")
            let b = berth(d, ["build", "--no-cache", "-t", tagB, ctx.path])
            #expect(b.status == 0 && sent(b) == 1, "\(b)")
            #expect(a.wait(seconds: 60) && a.exitStatus == 0)
            #expect(d.docker("run", "--rm", tagA, "cat", "/data").out == "first")
            #expect(d.docker("run", "--rm", tagB, "cat", "/data").out == "second")
        }

        @Test func anAbortedUploadIsNeverTrusted() throws {
            let d = try currentDaemon()
            let key = "e2e-aborted-\(UInt32.random(in: 0...UInt32.max))"
            let entry = #"{"path":"a.txt","type":"file","mode":420,"uid":0,"gid":0,"size":10,"mtime":1,"ctime":1,"inode":7}"#
            let listing = Data(#"{"entries":[\#(entry)]}"#.utf8)
            func need() throws -> String {
                try UnixHTTP.request(socket: d.socket, method: "POST", path: "/build/contexts/\(key)/sync",
                                     headers: ["Content-Type": "application/json"], body: listing).text
            }
            #expect(try need().contains(#"["a.txt"]"#))
            // Five of the ten bytes, in a complete request: refused, nothing kept.
            let header = #"{"entries":[\#(entry)],"sent":["a.txt"]}"# + "\n"
            let short = try UnixHTTP.request(socket: d.socket, method: "POST", path: "/build/contexts/\(key)/build",
                                             body: Data((header + "12345").utf8))
            #expect(short.status == 400, "\(short)")
            #expect(try need().contains(#"["a.txt"]"#), "still needed")
            // A client that goes away in the middle of its body leaves no spooled body behind.
            let fd = try UnixHTTP.connect(d.socket, timeout: 10)
            let head = "POST /build/contexts/\(key)/build HTTP/1.1\r\nHost: berth\r\nContent-Length: \(4 << 20)\r\n\r\n"
            try UnixHTTP.sendAll(fd, Data(head.utf8) + Data(header.utf8) + Data(count: 2 << 20))
            close(fd)
            #expect(eventually { ((try? FileManager.default.contentsOfDirectory(atPath: d.execRoot + "/tmp")) ?? []).allSatisfy { !$0.hasPrefix("body-") } })
            #expect(try need().contains(#"["a.txt"]"#), "still needed")
            // Paths that leave the context are refused.
            let escape = #"{"entries":[{"path":"../x","type":"file","mode":420,"uid":0,"gid":0,"size":0,"mtime":1,"ctime":1,"inode":7}]}"#
            let refused = try UnixHTTP.request(socket: d.socket, method: "POST", path: "/build/contexts/\(key)/sync",
                                               headers: ["Content-Type": "application/json"], body: Data(escape.utf8))
            #expect(refused.status == 400, "\(refused)")
        }

        @Test func pruneRemovesTheSyncedContexts() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nCOPY a.txt /a\n", "a.txt": "a\n"])
            defer { ctx.remove() }
            #expect(sent(berth(d, ["build", ctx.path])) == 2)
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: d.root + "/build/contexts")).isEmpty)
            let prune = berth(d, ["builder", "prune", "-af"])
            #expect(prune.status == 0 && prune.stdout.contains("context:"), "\(prune)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: d.root + "/build/contexts").isEmpty)
            let after = berth(d, ["build", ctx.path])
            #expect(after.status == 0 && sent(after) == 2, "everything again: \(after)")
        }

        @Test func aClientThatGoesAwayCancelsTheBuild() throws {
            let d = try currentDaemon()
            let marker = "cancel-\(UInt32.random(in: 0...UInt32.max))"
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nRUN echo \(marker) && sleep 313\n"])
            defer { ctx.remove() }
            let tag = uniqueName("cancel")
            defer { d.docker("rmi", "-f", tag) }
            let before = d.dockerOK("ps", "-aq").lines.count
            func mounts() -> Int {
                ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains(d.dir) }.count
            }
            let mountsBefore = mounts()
            let cli = try ChildProcess.spawn([d.binDir + "/berth", "build", "-t", tag, ctx.path], environment: environment(d),
                                             stdout: .devNull, stderr: .devNull)
            defer { cli.killAndReap() }
            #expect(eventually(timeout: 30) { d.dockerOK("ps", "-q").lines.count > before }, "the RUN started")
            cli.killAndReap()
            #expect(eventually(timeout: 20) { d.dockerOK("ps", "-aq").lines.count == before }, "the RUN container is gone")
            #expect(d.docker("image", "inspect", tag).status != 0, "nothing tagged")
            #expect(eventually(timeout: 10) { mounts() == mountsBefore }, "no build view or container root left mounted")
            let sleeping = d.shell("ps -eo args | grep -c '[s]leep 313' || true").out
            #expect(sleeping == "0", "the RUN's process was killed")
        }
    }
}
