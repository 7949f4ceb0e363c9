// `ADD <http(s) URL>` end to end on the build suite's daemon, against a loopback HTTP server the
// test starts: names, mode, mtime, no extraction, --checksum, HTTP and connection errors.
import Foundation
import Glibc
import Testing

/// Python's http.server on a free loopback port serving `directory` (Last-Modified from the files'
/// mtimes, 404 for what is missing); `stop()` kills it.
struct LoopbackFileServer {
    let directory: String
    let port: Int
    let process: ChildProcess

    static func start(_ directory: String) throws -> LoopbackFileServer {
        let port = try freeLoopbackPort()
        let child = try ChildProcess.spawn(["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, String(port)],
                                           environment: baseEnvironment(), stdout: .file(directory + ".log"), stderr: .file(directory + ".log"))
        let server = LoopbackFileServer(directory: directory, port: port, process: child)
        guard eventually(timeout: 15, { loopbackPortAnswers(port) }) else {
            server.stop()
            throw SpawnError("http.server did not listen on \(port)")
        }
        return server
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func stop() {
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: directory + ".log")
    }
}

extension EngineE2E.Build {
    @Test func addURLDownloadsAsDockerDoes() throws {
        let d = try currentDaemon()
        let files = d.dir + "/" + uniqueName("www")
        try FileManager.default.createDirectory(atPath: files + "/dir", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: files) }
        try Data("downloaded\n".utf8).write(to: URL(fileURLWithPath: files + "/data.txt"))
        let tar = runCommand(["tar", "-C", files, "-cf", files + "/bundle.tar", "data.txt"])
        #expect(tar.status == 0, "\(tar)")
        // Last-Modified: 2001-02-03 04:05:06 UTC.
        for name in ["data.txt", "bundle.tar"] {
            var times = [timeval(tv_sec: 981_173_106, tv_usec: 0), timeval(tv_sec: 981_173_106, tv_usec: 0)]
            utimes(files + "/" + name, &times)
        }
        let digest = runCommand(["sha256sum", files + "/bundle.tar"]).out.split(separator: " ").first.map(String.init) ?? ""
        let server = try LoopbackFileServer.start(files)
        defer { server.stop() }
        let ctx = try BuildContext(["local.txt": "local\n", "Dockerfile": """
            FROM busybox
            ADD \(server.base)/data.txt /dl/
            ADD \(server.base)/data.txt /renamed.txt
            ADD --checksum=sha256:\(digest) \(server.base)/bundle.tar /archives/
            ADD local.txt \(server.base)/data.txt /mixed/
            """])
        defer { ctx.remove() }
        let tag = uniqueName("addurl")
        defer { d.docker("rmi", "-f", tag) }
        let build = berth(d, ["build", "-t", tag, ctx.path])
        #expect(build.status == 0, "\(build)")
        let probe = d.docker("run", "--rm", tag, "sh", "-c",
                             "stat -c '%a %Y %n' /dl/data.txt /renamed.txt /archives/bundle.tar; cat /renamed.txt; test -e /archives/data.txt || echo not-extracted; cat /mixed/local.txt /mixed/data.txt")
        #expect(probe.lines == ["600 981173106 /dl/data.txt", "600 981173106 /renamed.txt", "600 981173106 /archives/bundle.tar",
                                "downloaded", "not-extracted", "local", "downloaded"], "\(probe)")
        // Same content again: cached (downloaded, hashed, found).
        let again = berth(d, ["build", "-t", tag, ctx.path])
        #expect(again.stdout.components(separatedBy: "Using cache").count - 1 == 4, "\(again)")
        // Mixed sources need a directory destination.
        try ctx.write("Dockerfile", "FROM busybox\nADD local.txt \(server.base)/data.txt /one\n")
        let notDirectory = berth(d, ["build", ctx.path])
        #expect(notDirectory.status != 0 && notDirectory.stderr.contains("Dockerfile:2: When using COPY with more than one source file"), "\(notDirectory)")

        let zeros = String(repeating: "0", count: 64)
        try ctx.write("Dockerfile", "FROM busybox\nADD --checksum=sha256:\(zeros) \(server.base)/bundle.tar /b.tar\n")
        let mismatch = berth(d, ["build", ctx.path])
        #expect(mismatch.status != 0, "\(mismatch)")
        #expect(mismatch.stderr.contains("Dockerfile:2: checksum mismatch for \(server.base)/bundle.tar: expected sha256:\(zeros), downloaded content is sha256:\(digest)"),
                "\(mismatch)")

        try ctx.write("Dockerfile", "FROM busybox\nADD \(server.base)/missing.txt /m\n")
        let missing = berth(d, ["build", ctx.path])
        #expect(missing.status != 0 && missing.stderr.contains("Dockerfile:2: failed to GET \(server.base)/missing.txt with status 404"), "\(missing)")

        try ctx.write("Dockerfile", "FROM busybox\nADD \(server.base)/dir/ /dl/\n")
        let nameless = berth(d, ["build", ctx.path])
        #expect(nameless.status != 0 && nameless.stderr.contains("cannot determine filename from url: \(server.base)/dir/"), "\(nameless)")

        let closed = try freeLoopbackPort()
        try ctx.write("Dockerfile", "FROM busybox\nADD http://127.0.0.1:\(closed)/x /x\n")
        let refused = berth(d, ["build", ctx.path])
        #expect(refused.status != 0 && refused.stderr.contains("Dockerfile:2: failed to GET http://127.0.0.1:\(closed)/x"), "\(refused)")
    }
}
