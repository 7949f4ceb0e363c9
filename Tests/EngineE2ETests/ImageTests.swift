// images, tag, rmi, image inspect, history, save + load, image prune.
import Foundation
import Testing

extension EngineE2E {
    @Suite("images") struct Images {
        @Test func imagesListsBusybox() throws {
            let d = try currentDaemon()
            let id = d.dockerOK("image", "inspect", "-f", "{{.Id}}", "busybox:latest").out
            #expect(id.hasPrefix("sha256:") && id.count == 71, "\(id)")
            let images = d.dockerOK("images")
            let table = try Table(images.stdout, labels: ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"])
            let row = try #require(table.rows.first { $0["REPOSITORY"] == "busybox" && $0["TAG"] == "latest" }, "\(images)")
            #expect(row["IMAGE ID"] == String(id.dropFirst(7).prefix(12)), "\(images)")
            #expect(matches(row["SIZE"] ?? "", #"^\d+(\.\d+)?(B|kB|MB)$"#), "\(images)")
            #expect(matches(row["CREATED"] ?? "", #" ago$"#), "\(images)")
            #expect(d.dockerOK("images", "-q").lines.contains(String(id.dropFirst(7).prefix(12))))
        }

        @Test func tagInspectAndRmi() throws {
            let d = try currentDaemon()
            let tag = "\(uniqueName("tag")):v1"
            defer { d.docker("rmi", tag) }
            let t = d.docker("tag", "busybox:latest", tag)
            #expect(t.status == 0 && t.stdout.isEmpty, "\(t)")
            #expect(d.dockerOK("images", "--format", "{{.Repository}}:{{.Tag}}").lines.contains(tag))
            let text = d.dockerOK("image", "inspect", tag)
            let image = try #require((parseJSON(text.stdout) as? [[String: Any]])?.first)
            #expect((image["RepoTags"] as? [String]).map { Set($0) } == Set(["busybox:latest", tag]), "\(image["RepoTags"] ?? "nil")")
            #expect(image["Os"] as? String == "linux")
            #expect(image["Architecture"] as? String == "amd64")
            #expect((image["Id"] as? String)?.hasPrefix("sha256:") == true)
            #expect((value(image, "RootFS.Type") as? String) == "layers")
            #expect((value(image, "RootFS.Layers") as? [String])?.count == 1, "one imported layer")
            #expect(value(image, "Config.Cmd") as? [String] == ["sh"], "import -c 'CMD [\"sh\"]'")
            #expect((image["Size"] as? Int ?? 0) > 1_000_000, "busybox is about 2 MB")
            let rmi = d.docker("rmi", tag)
            #expect(rmi.status == 0 && rmi.stdout == "Untagged: \(tag)\n", "only the tag goes: \(rmi)")
            #expect(d.docker("image", "inspect", tag).status == 1)
            #expect(d.dockerOK("image", "inspect", "-f", "{{.Os}}", "busybox:latest").out == "linux")
            let missing = d.docker("rmi", "e2e-nosuch:tag")
            #expect(missing.status == 1 && missing.stderr == "Error response from daemon: No such image: e2e-nosuch:tag\n", "\(missing)")
            let inspectMissing = d.docker("image", "inspect", "e2e-nosuch:tag")
            #expect(inspectMissing.status == 1 && inspectMissing.stderr.contains("No such image: e2e-nosuch:tag"), "\(inspectMissing)")
        }

        @Test func history() throws {
            let d = try currentDaemon()
            let id = d.dockerOK("image", "inspect", "-f", "{{.Id}}", "busybox:latest").out
            let history = d.dockerOK("history", "busybox:latest")
            let table = try Table(history.stdout, labels: ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"])
            #expect(table.rows.count == 1, "one imported layer: \(history)")
            #expect(table.rows.first?["IMAGE"] == String(id.dropFirst(7).prefix(12)), "\(history)")
            #expect(matches(table.rows.first?["SIZE"] ?? "", #"^\d+(\.\d+)?(B|kB|MB)$"#), "\(history)")
            let quiet = d.dockerOK("history", "-q", "busybox:latest")
            #expect(quiet.lines == [String(id.dropFirst(7).prefix(12))], "\(quiet)")
            let missing = d.docker("history", "e2e-nosuch:tag")
            #expect(missing.status == 1 && missing.stderr.contains("No such image"), "\(missing)")
        }

        @Test func saveAndLoadRoundTrip() throws {
            let d = try currentDaemon()
            let tag = "\(uniqueName("save")):v1"
            defer { d.docker("rmi", tag) }
            d.dockerOK("tag", "busybox:latest", tag)
            let id = d.dockerOK("image", "inspect", "-f", "{{.Id}}", tag).out
            let file = d.dir + "/save-\(UUID().uuidString.prefix(8)).tar"
            defer { try? FileManager.default.removeItem(atPath: file) }
            let save = d.docker(["save", "-o", file, tag], timeout: 60)
            #expect(save.status == 0 && save.stdout.isEmpty, "\(save)")
            let members = runCommand(["tar", "-tf", file], timeout: 30).lines
            #expect(members.contains("manifest.json"), "a docker-archive: \(members)")
            let manifest = runCommand(["tar", "-xOf", file, "manifest.json"], timeout: 30)
            let entries = parseJSON(manifest.stdout) as? [[String: Any]]
            #expect((entries?.first?["RepoTags"] as? [String]) == [tag], "\(manifest.stdout)")

            let rmi = d.docker("rmi", tag)
            #expect(rmi.stdout == "Untagged: \(tag)\n", "\(rmi)")
            #expect(d.docker("image", "inspect", tag).status == 1)
            let load = d.docker(["load", "-i", file], timeout: 60)
            #expect(load.status == 0, "\(load)")
            #expect(load.stdout.contains("Loaded image: \(tag)"), "\(load)")
            #expect(d.dockerOK("image", "inspect", "-f", "{{.Id}}", tag).out == id, "same image ID after the round trip")
            let run = d.docker("run", "--rm", tag, "echo", "from-loaded")
            #expect(run.stdout == "from-loaded\n", "\(run)")
            // Through pipes: docker save | docker load.
            d.dockerOK("rmi", tag)
            let piped = d.shell("docker save busybox:latest | docker load", timeout: 60)
            #expect(piped.status == 0 && piped.stdout.contains("busybox:latest"), "\(piped)")
        }

        @Test func pruneRemovesDanglingImages() throws {
            let d = try currentDaemon()
            let tiny = d.dir + "/tiny-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: tiny, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: tiny) }
            try UUID().uuidString.write(toFile: tiny + "/unique", atomically: true, encoding: .utf8)
            let imported = d.shell("tar -C '\(tiny)' -c . | docker import -")
            #expect(imported.status == 0, "\(imported)")
            let id = imported.out
            #expect(id.hasPrefix("sha256:"), "\(imported)")
            let dangling = d.dockerOK("images", "--filter", "dangling=true", "-q", "--no-trunc")
            #expect(dangling.lines.contains(id), "untagged import is dangling: \(dangling)")
            let prune = d.docker("image", "prune", "-f")
            #expect(prune.status == 0, "\(prune)")
            #expect(prune.stdout.contains("Deleted Images:\ndeleted: \(id)\n"), "\(prune)")
            #expect(matches(prune.stdout, #"\nTotal reclaimed space: \d+(\.\d+)?(B|kB|MB)\n$"#), "\(prune)")
            #expect(d.docker("image", "inspect", id).status == 1)
            #expect(d.dockerOK("image", "inspect", "-f", "{{.Os}}", "busybox:latest").out == "linux", "tagged images stay")
            let nothing = d.docker("image", "prune", "-f")
            #expect(nothing.stdout == "Total reclaimed space: 0B\n", "\(nothing)")
        }
    }
}
