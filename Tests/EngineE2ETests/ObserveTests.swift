// top, stats, events, port, cp and export.
import Foundation
import Testing

extension EngineE2E {
    @Suite("top, stats, events, port, cp, export") struct Observe {
        @Test func topListsTheProcesses() throws {
            let d = try currentDaemon()
            let name = uniqueName("top")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let pid = d.dockerOK("inspect", "-f", "{{.State.Pid}}", name).out
            let top = d.dockerOK("top", name)
            let table = try Table(top.stdout, labels: ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
            #expect(table.rows.count == 1, "\(top)")
            let row = try #require(table.row(where: "CMD", is: "sleep 1000"), "\(top)")
            #expect(row["UID"] == "root")
            #expect(row["PID"] == pid, "top shows host pids: \(top) vs State.Pid \(pid)")
            let custom = d.dockerOK("top", name, "-o", "pid,comm")
            #expect(custom.lines.first.map { matches($0, #"^\s*PID\s+COMMAND\s*$"#) } == true, "\(custom)")
            #expect(custom.lines.dropFirst().contains { $0.hasSuffix("sleep") }, "\(custom)")
            let stopped = uniqueName("topstopped")
            defer { d.docker("rm", "-f", stopped) }
            d.dockerOK("create", "--name", stopped, "busybox", "true")
            let notRunning = d.docker("top", stopped)
            #expect(notRunning.status == 1 && notRunning.stderr.contains("is not running"), "\(notRunning)")
        }

        @Test func statsNoStream() throws {
            let d = try currentDaemon()
            let name = uniqueName("stats")
            defer { d.docker("rm", "-f", name) }
            let id = d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000").out
            let stats = d.docker(["stats", "--no-stream", name], timeout: 20)
            #expect(stats.status == 0, "\(stats)")
            let table = try Table(stats.stdout, labels: ["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"])
            let row = try #require(table.row(where: "NAME", is: name), "\(stats)")
            #expect(row["CONTAINER ID"] == String(id.prefix(12)))
            #expect(matches(row["CPU %"] ?? "", #"^\d+\.\d\d%$"#), "\(stats)")
            #expect(matches(row["MEM USAGE / LIMIT"] ?? "", #"^\d+(\.\d+)?[KMG]?i?B / \d+(\.\d+)?[KMGT]?i?B$"#), "\(stats)")
            #expect(matches(row["MEM %"] ?? "", #"^\d+\.\d\d%$"#), "\(stats)")
            #expect(row["PIDS"] == "1", "\(stats)")
            let json = d.docker(["stats", "--no-stream", "--format", "{{json .}}", name], timeout: 20)
            let object = parseJSON(json.out) as? [String: Any]
            #expect(object?["Name"] as? String == name, "\(json)")
            #expect(object?["PIDs"] as? String == "1", "\(json)")
        }

        @Test func eventsShowTheLifecycle() throws {
            let d = try currentDaemon()
            let name = uniqueName("events")
            let since = Date()
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "exit 2")
            _ = d.docker(["wait", name], timeout: 10)
            d.dockerOK("rm", name)
            let until = Date().addingTimeInterval(0.5)
            let r = d.docker(["events", "--since", unixTimestamp(since), "--until", unixTimestamp(until),
                              "--filter", "type=container", "--filter", "container=\(name)",
                              "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}"], timeout: 20)
            #expect(r.status == 0, "\(r)")
            let actions = r.lines.compactMap { line -> String? in
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "container", parts[2] == name else { return nil }
                return String(parts[1])
            }
            // create, start, die, destroy in this order (docker may add attach/network events between).
            var remaining = ["create", "start", "die", "destroy"][...]
            for action in actions where action == remaining.first { remaining.removeFirst() }
            #expect(remaining.isEmpty, "missing or out of order: \(remaining); got \(r)")
            let plain = d.docker(["events", "--since", unixTimestamp(since), "--until", unixTimestamp(until),
                                  "--filter", "container=\(name)", "--filter", "event=die"], timeout: 20)
            #expect(matches(plain.out, #"^\d{4}-\d\d-\d\dT[0-9:.]+Z container die [0-9a-f]{64} \(.*exitCode=2.*name=\#(name).*\)$"#), "\(plain)")
        }

        @Test func portWithoutPortsIsEmpty() throws {
            let d = try currentDaemon()
            let name = uniqueName("port")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let port = d.docker("port", name)
            #expect(port.status == 0 && port.stdout.isEmpty && port.stderr.isEmpty, "\(port)")
        }

        /// cp in both directions (PUT and GET /containers/{id}/archive, HEAD for stat).
        @Test func cpBothWays() throws {
            let d = try currentDaemon()
            let name = uniqueName("cp")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "mkdir -p /srv/tree/sub; echo inside > /tmp/in.txt; echo deep > /srv/tree/sub/f; sleep 1000")
            #expect(eventually { d.docker("exec", name, "cat", "/srv/tree/sub/f").stdout == "deep\n" })
            let host = d.dir + "/cp-\(name)"
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: host) }
            try "hostdata\n".write(toFile: host + "/up.txt", atomically: true, encoding: .utf8)

            let up = d.docker("cp", host + "/up.txt", "\(name):/tmp/up.txt")
            #expect(up.status == 0, "\(up)")
            #expect(d.docker("exec", name, "cat", "/tmp/up.txt").stdout == "hostdata\n")
            let intoDir = d.docker("cp", host + "/up.txt", "\(name):/srv/")
            #expect(intoDir.status == 0, "\(intoDir)")
            #expect(d.docker("exec", name, "cat", "/srv/up.txt").stdout == "hostdata\n")

            let down = d.docker("cp", "\(name):/tmp/in.txt", host + "/in.txt")
            #expect(down.status == 0, "\(down)")
            #expect((try? String(contentsOfFile: host + "/in.txt", encoding: .utf8)) == "inside\n")
            let tree = d.docker("cp", "\(name):/srv/tree", host + "/tree")
            #expect(tree.status == 0, "\(tree)")
            #expect((try? String(contentsOfFile: host + "/tree/sub/f", encoding: .utf8)) == "deep\n")
            let stream = d.shell("docker cp \(name):/tmp/in.txt - | tar -xO")
            #expect(stream.stdout == "inside\n", "cp to stdout is a tar stream: \(stream)")
            let missing = d.docker("cp", "\(name):/no/such/file", host + "/x")
            #expect(missing.status == 1 && missing.stderr.contains("Could not find the file /no/such/file in container \(name)"), "\(missing)")
        }

        @Test func exportWritesTheFilesystem() throws {
            let d = try currentDaemon()
            let name = uniqueName("export")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "echo inside > /tmp/in.txt; sleep 1000")
            #expect(eventually { d.docker("exec", name, "cat", "/tmp/in.txt").stdout == "inside\n" })
            let file = d.dir + "/\(name).tar"
            defer { try? FileManager.default.removeItem(atPath: file) }
            let export = d.docker(["export", name, "-o", file], timeout: 60)
            #expect(export.status == 0, "\(export)")
            let list = runCommand(["tar", "-tf", file], timeout: 30)
            #expect(list.lines.contains("bin/sh") || list.lines.contains("./bin/sh"), "\(list.stdout.prefix(500))")
            #expect(list.lines.contains("tmp/in.txt") || list.lines.contains("./tmp/in.txt"), "\(list.stdout.prefix(500))")
            #expect(!list.lines.contains { $0.hasPrefix("proc/") && $0.count > 5 }, "no /proc contents")
            let content = runCommand(["tar", "-xOf", file, "tmp/in.txt"], timeout: 30)
            #expect(content.stdout == "inside\n", "\(content)")
        }
    }
}
