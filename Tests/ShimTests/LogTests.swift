import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ShimTests {
    /// Runs the world's container under a shim logging to `<base>/log.json` and waits for its exit.
    private func runLogged(_ world: ShimWorld, id: String, extra: [String] = []) throws -> String {
        let log = world.base + "/log.json"
        let shim = try world.spawnShim(id: id, dir: try world.makeDir("shim"), extra: ["--log", log] + extra)
        let pid = try #require(shim.processPid, "\(shim.readyLine)")
        let waiter = try shim.waiter()
        #expect(try shim.command("start") == "ok \(pid)")
        let reply = waiter.readLine() ?? "<no reply>"
        #expect(reply.hasPrefix("exit 0 "), "\(reply)")
        return log
    }

    @Test func logHasBothStreamsInDockerFormat() throws {
        try withWorld(args: ["sh", "-c", "echo to-out; echo to-err >&2; echo again"]) { world in
            let log = try runLogged(world, id: "log-streams")
            let (entries, bad) = logEntries(log)
            #expect(bad.isEmpty, "unparsable lines: \(bad)")
            let out = entries.filter { $0["stream"] as? String == "stdout" }.compactMap { $0["log"] as? String }
            let err = entries.filter { $0["stream"] as? String == "stderr" }.compactMap { $0["log"] as? String }
            #expect(out == ["to-out\n", "again\n"])
            #expect(err == ["to-err\n"])
            for entry in entries {
                #expect(entry.keys.sorted() == ["log", "stream", "time"])
                let time = entry["time"] as? String ?? ""
                #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/) != nil, "\(time)")
            }
            // Keys in docker's order, one object per line.
            let first = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first ?? ""
            #expect(first.hasPrefix(#"{"log":"#) && first.contains(#","stream":""#) && first.contains(#","time":""#))
        }
    }

    @Test func logEscapesTextAndKeepsThePartialLastLine() throws {
        // A tab, quotes, a backslash, a control byte, UTF-8, an invalid byte; then no newline.
        let script = #"printf 'tab\there "q" \\ \001 é \377\n'; printf 'no-newline'"#
        try withWorld(args: ["sh", "-c", script]) { world in
            let log = try runLogged(world, id: "log-escape")
            let (entries, bad) = logEntries(log)
            #expect(bad.isEmpty, "unparsable lines: \(bad)")
            let texts = entries.compactMap { $0["log"] as? String }
            #expect(texts == ["tab\there \"q\" \\ \u{01} é \u{FFFD}\n", "no-newline"])
            let raw = try String(contentsOfFile: log, encoding: .utf8)
            #expect(raw.contains(#"tab\there \"q\" \\ \u0001 é \ufffd\n"#), "\(raw)")
        }
    }

    @Test func longLinesAreSplitAt16KiB() throws {
        try withWorld(args: ["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' a; echo"]) { world in
            let log = try runLogged(world, id: "log-long")
            let (entries, bad) = logEntries(log)
            #expect(bad.isEmpty)
            let texts = entries.compactMap { $0["log"] as? String }
            #expect(texts.map(\.count) == [16384, 16384, 7233])
            #expect(texts.joined() == String(repeating: "a", count: 40000) + "\n")
        }
    }

    @Test func logRotatesBySizeKeepingMaxFiles() throws {
        let script = "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done"
        try withWorld(args: ["sh", "-c", script]) { world in
            let log = try runLogged(world, id: "log-rotate", extra: ["--log-max-size", "2048", "--log-max-files", "3"])
            let fm = FileManager.default
            #expect(fm.fileExists(atPath: log))
            #expect(fm.fileExists(atPath: log + ".1"))
            #expect(fm.fileExists(atPath: log + ".2"))
            #expect(!fm.fileExists(atPath: log + ".3"), "at most 3 files in all")
            var lines: [String] = []
            for path in [log + ".2", log + ".1", log] {
                let size = (try fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                #expect(size <= 2048, "\(path) is \(size) bytes")
                let (entries, bad) = logEntries(path)
                #expect(bad.isEmpty, "\(path): \(bad)")
                #expect(!entries.isEmpty)
                lines += entries.compactMap { $0["log"] as? String }
            }
            // Oldest to newest, consecutive, ending with the last line.
            #expect(lines.last == "line-299\n")
            let numbers = lines.compactMap { Int($0.dropFirst(5).dropLast()) }
            #expect(numbers == Array((numbers.first ?? 0)...299))
        }
    }

    @Test func withOneFileTheLogStartsOver() throws {
        let script = "i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done"
        try withWorld(args: ["sh", "-c", script]) { world in
            let log = try runLogged(world, id: "log-one", extra: ["--log-max-size", "1024", "--log-max-files", "1"])
            #expect(!FileManager.default.fileExists(atPath: log + ".1"))
            let size = (try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
            #expect(size > 0 && size <= 1024)
            let (entries, bad) = logEntries(log)
            #expect(bad.isEmpty)
            #expect(entries.last?["log"] as? String == "line-99\n")
        }
    }
}
