// Pull, push and login through berthd against Debian's reference registry (docker-registry 2.8) on
// a free loopback port, driven by the berth CLI, the real docker CLI and docker-py; plus the faults:
// a malformed reference, an unknown manifest, a registry serving a blob that does not match its digest.
import Foundation
import Testing

@Suite("registry end to end", .serialized,
       .enabled(if: registryUnavailableReason == nil, Comment(rawValue: registryUnavailableReason ?? "")),
       .berthDaemon("registry"))
struct RegistryE2E {
    /// Runs the berth CLI against `d` with a private credential directory.
    @discardableResult
    static func berth(_ d: Daemon, _ args: [String], stdin: String? = nil, timeout: Double = 120) -> CommandResult {
        var env = d.environment
        env["BERTH_HOST"] = d.host
        env["BERTH_CONFIG"] = d.dir + "/berth-config"
        return runCommand([d.binDir + "/berth"] + args, environment: env, stdin: stdin.map { Data($0.utf8) }, timeout: timeout)
    }

    /// Imports a fresh one-layer image `name` (busybox plus a marker file holding `marker`), so its
    /// layer is in no other image.
    static func makeImage(_ d: Daemon, _ name: String, marker: String) throws {
        let rootfs = d.dir + "/rootfs-" + uniqueName("img")
        let make = runCommand([packageRoot + "/scripts/make-busybox-rootfs", rootfs], timeout: 60)
        guard make.status == 0 else { throw SpawnError("make-busybox-rootfs: \(make)") }
        defer { try? FileManager.default.removeItem(atPath: rootfs) }
        try Data((marker + "\n").utf8).write(to: URL(fileURLWithPath: rootfs + "/marker"))
        let r = d.shell("tar -C '\(rootfs)' -c . | docker import -c 'CMD [\"sh\"]' - \(name)", timeout: 120)
        guard r.status == 0 else { throw SpawnError("import: \(r)") }
    }

    /// True when the daemon's content store has blob `digest`.
    static func hasBlob(_ d: Daemon, _ digest: String) -> Bool {
        let hex = digest.replacingOccurrences(of: "sha256:", with: "")
        return FileManager.default.fileExists(atPath: d.root + "/content/blobs/sha256/" + hex)
    }

    @Test func buildWithPullTakesTheBaseFromTheRegistry() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let base = "\(registry.domain)/e2e/base:v1"
        try Self.makeImage(d, base, marker: "first base")
        #expect(Self.berth(d, ["push", base]).status == 0)
        // The registry's base changes; the local copy is the old one until --pull.
        try Self.makeImage(d, base, marker: "second base")
        #expect(Self.berth(d, ["push", base]).status == 0)
        try Self.makeImage(d, base, marker: "stale local base")
        let context = d.dir + "/" + uniqueName("pullctx")
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: context) }
        try "FROM \(base)\nRUN cp /marker /seen\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let tag = uniqueName("pulled").lowercased() + ":1"
        defer { d.docker("rmi", "-f", tag) }
        let build = Self.berth(d, ["build", "--pull", "-t", tag, context])
        #expect(build.status == 0, "\(build)")
        let seen = d.docker("run", "--rm", tag, "cat", "/seen")
        #expect(seen.stdout == "second base\n", "the build used the registry's base: \(seen)")
    }

    @Test func berthPushRemovePullAndRun() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/roundtrip:v1"
        try Self.makeImage(d, name, marker: "round trip")
        let layer = try #require(d.dockerOK("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", name).lines.first)
        _ = layer
        let push = Self.berth(d, ["push", name])
        #expect(push.status == 0, "\(push)")
        #expect(push.stdout.contains("The push refers to repository [\(registry.domain)/e2e/roundtrip]"), "\(push)")
        #expect(push.stdout.contains(": Pushed"), "\(push)")
        #expect(matches(push.stdout, #"v1: digest: sha256:[0-9a-f]{64} size: \d+"#), "\(push)")

        let again = Self.berth(d, ["push", name])
        #expect(again.status == 0 && again.stdout.contains(": Layer already exists"), "a second push sends nothing: \(again)")

        #expect(d.docker("rmi", name).status == 0)
        #expect(d.docker("image", "inspect", name).status != 0)
        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.stdout.contains("v1: Pulling from e2e/roundtrip"), "\(pull)")
        #expect(pull.stdout.contains(": Pull complete"), "\(pull)")
        #expect(matches(pull.stdout, #"Digest: sha256:[0-9a-f]{64}"#), "\(pull)")
        #expect(pull.stdout.contains("Status: Downloaded newer image for \(name)"), "\(pull)")
        #expect(pull.lines.last == name, "the canonical name ends the output: \(pull)")
        let run = d.docker("run", "--rm", name, "cat", "/marker")
        #expect(run.status == 0 && run.stdout == "round trip\n", "the pulled image runs: \(run)")

        let upToDate = Self.berth(d, ["pull", name])
        #expect(upToDate.stdout.contains("Status: Image is up to date for \(name)"), "\(upToDate)")
        // A pull by tag records docker's RepoDigest too; removing the last tag drops it with the image.
        let digests = d.dockerOK("image", "inspect", "-f", "{{json .RepoDigests}}", name).out
        #expect(matches(digests, #"^\["\#(registry.domain)/e2e/roundtrip@sha256:[0-9a-f]{64}"\]$"#), "\(digests)")
        #expect(d.dockerOK("image", "inspect", "-f", "{{json .RepoTags}}", name).out == "[\"\(name)\"]")

        // The raw stream, as dockerd writes it.
        let rmi = d.docker("rmi", name)
        #expect(rmi.status == 0 && rmi.stdout.contains("Untagged: \(registry.domain)/e2e/roundtrip@sha256:")
                && rmi.stdout.contains("Deleted: sha256:"), "the last tag takes the digest reference along: \(rmi)")
        let raw = try d.api("POST", "/v1.47/images/create?fromImage=\(registry.domain)/e2e/roundtrip&tag=v1", timeout: 60)
        #expect(raw.status == 200)
        let messages = raw.text.split(separator: "\n").compactMap { parseJSON(String($0)) as? [String: Any] }
        #expect(messages.first?["status"] as? String == "Pulling from e2e/roundtrip" && messages.first?["id"] as? String == "v1", "\(raw.text)")
        let downloading = messages.filter { $0["status"] as? String == "Downloading" }
        #expect(!downloading.isEmpty, "\(raw.text)")
        for message in downloading {
            let detail = message["progressDetail"] as? [String: Any]
            #expect((detail?["total"] as? Int ?? 0) > 0 && (detail?["current"] as? Int) != nil, "\(message)")
            #expect((message["progress"] as? String)?.hasPrefix("[") == true, "\(message)")
            #expect((message["id"] as? String)?.count == 12, "\(message)")
        }
        #expect(messages.contains { $0["status"] as? String == "Pull complete" && ($0["progressDetail"] as? [String: Any])?.isEmpty == true })
        #expect(messages.last?["status"] as? String == "Status: Downloaded newer image for \(name)", "\(raw.text)")
        d.docker("rmi", name)
    }

    @Test func dockerCLIPushesPullsAndRunsAMissingImage() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/cli:v2"
        try Self.makeImage(d, name, marker: "docker cli")
        let push = d.docker(["push", name], timeout: 120)
        #expect(push.status == 0, "\(push)")
        #expect(push.stdout.contains("Pushed") && push.stdout.contains("v2: digest: sha256:"), "\(push)")
        #expect(d.docker("rmi", name).status == 0)

        let pull = d.docker(["pull", name], timeout: 120)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.stdout.contains("Pull complete") && pull.stdout.contains("Status: Downloaded newer image for \(name)"), "\(pull)")
        #expect(pull.lines.last == name, "\(pull)")
        #expect(d.docker("rmi", name).status == 0)

        // docker run of a missing image: the CLI sees "No such image" (404) and pulls it itself.
        let run = d.docker(["run", "--rm", name, "cat", "/marker"], timeout: 120)
        #expect(run.status == 0 && run.stdout == "docker cli\n", "\(run)")
        #expect(run.stderr.contains("Unable to find image '\(name)' locally"), "\(run)")
        #expect(run.stderr.contains("Pull complete"), "\(run)")
        d.docker("rmi", name)
    }

    @Test func multiPlatformIndexPullsLinuxAmd64() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let repository = "\(registry.domain)/e2e/multi"
        var pushed: [String: (digest: String, size: String)] = [:]
        for arch in ["arm64", "amd64"] {
            try Self.makeImage(d, "\(repository):\(arch)", marker: "image for \(arch)")
            let push = Self.berth(d, ["push", "\(repository):\(arch)"])
            let fields = try #require(push.lines.first { $0.hasPrefix("\(arch): digest: ") }, "\(push)").split(separator: " ")
            pushed[arch] = (String(fields[2]), String(fields[4]))
            d.docker("rmi", "\(repository):\(arch)")
        }
        let entries = ["arm64", "amd64"].map { arch in
            #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(pushed[arch]!.digest)","size":\#(pushed[arch]!.size),"platform":{"architecture":"\#(arch)","os":"linux"}}"#
        }
        let index = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\#(entries.joined(separator: ","))]}"#
        let put = runCommand(["curl", "-sf", "-D", "-", "-o", "/dev/null", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.index.v1+json",
                              "--data-binary", index, "http://\(repository.replacingOccurrences(of: "/e2e/", with: "/v2/e2e/"))/manifests/multi"])
        #expect(put.status == 0, "\(put)")
        let indexDigest = try #require(put.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("docker-content-digest:") }
            .map { String($0.split(separator: " ").last ?? "") }, "\(put)")
        let pull = d.docker(["pull", "\(repository):multi"], timeout: 120)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.stdout.contains("Digest: \(indexDigest)"), "the tag names the index: \(pull)")
        let run = d.docker(["run", "--rm", "\(repository):multi", "cat", "/marker"], timeout: 60)
        #expect(run.stdout == "image for amd64\n", "linux/amd64 was picked from the index: \(run)")
        d.docker("rmi", "\(repository):multi")

        // --platform picks another entry of the index.
        let arm = d.docker(["pull", "--platform", "linux/arm64", "\(repository):multi"], timeout: 120)
        #expect(arm.status == 0, "\(arm)")
        let runArm = d.docker(["run", "--rm", "\(repository):multi", "cat", "/marker"], timeout: 60)
        #expect(runArm.stdout == "image for arm64\n", "\(runArm)")
        d.docker("rmi", "\(repository):multi")
        let none = try d.api("POST", "/v1.47/images/create?fromImage=\(repository)&tag=multi&platform=linux/s390x", timeout: 60)
        // As with dockerd, this is found after "Pulling from": it ends the stream.
        #expect(none.status == 200 && none.text.contains(#""error":"no matching manifest for linux/s390x"#), "\(none.text)")
        #expect(d.docker("image", "inspect", "\(repository):multi").status != 0, "nothing named after a failed pull")

        // By digest: the arm64 manifest itself, whatever the host.
        let byDigest = "\(repository)@\(pushed["arm64"]!.digest)"
        let pinned = d.docker(["pull", byDigest], timeout: 120)
        #expect(pinned.status == 0 && pinned.lines.last == byDigest, "\(pinned)")
        let runPinned = d.docker(["run", "--rm", byDigest, "cat", "/marker"], timeout: 60)
        #expect(runPinned.stdout == "image for arm64\n", "\(runPinned)")
        let digests = d.docker("image", "inspect", "-f", "{{json .RepoDigests}} {{json .RepoTags}}", byDigest)
        #expect(digests.out == "[\"\(byDigest)\"] []", "\(digests)")
        d.docker("rmi", byDigest)
    }

    @Test func progressBarsOnATerminal() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/tty:v1"
        try Self.makeImage(d, name, marker: "tty")
        #expect(Self.berth(d, ["push", name]).status == 0)
        d.docker("rmi", name)
        defer { d.docker("rmi", name) }
        // script(1) gives berth a pseudo-terminal: layer lines are rewritten in place with bars.
        var env = d.environment
        env["BERTH_HOST"] = d.host
        env["TERM"] = "xterm"
        let command = "stty cols 160; '\(d.binDir)/berth' pull '\(name)'"
        let r = runCommand(["script", "-qec", command, "/dev/null"], environment: env, timeout: 120)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("\u{1b}[1A") && r.stdout.contains("\u{1b}[1B"), "cursor moves: \(r.stdout.debugDescription)")
        #expect(r.stdout.contains("\u{1b}[1K\u{1b}[K\r"), "lines are cleared: \(r.stdout.debugDescription)")
        #expect(r.stdout.contains("Downloading [") || r.stdout.contains("Extracting ["), "bars: \(r.stdout.debugDescription)")
        #expect(r.stdout.contains("Pull complete"), "\(r.stdout.debugDescription)")
    }

    @Test func multiLayerImageReusesPresentLayersAndQueuesTheRest() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        // busybox plus four committed layers, each adding a file.
        var image = "busybox:latest"
        for step in 1...4 {
            let container = uniqueName("layer\(step)")
            d.dockerOK("run", "--name", container, image, "sh", "-c", "echo \(step) > /step\(step)")
            let next = "\(registry.domain)/e2e/layers:s\(step)"
            d.dockerOK("commit", container, next)
            d.dockerOK("rm", container)
            image = next
        }
        let name = "\(registry.domain)/e2e/layers:s4"
        let layers = try #require(parseJSON(d.dockerOK("image", "inspect", "-f", "{{json .RootFS.Layers}}", name).out) as? [String])
        #expect(layers.count == 5, "\(layers)")
        let push = Self.berth(d, ["push", name])
        #expect(push.status == 0 && push.stdout.components(separatedBy: ": Pushed").count - 1 == 5, "\(push)")
        for step in 1...4 { d.docker("rmi", "\(registry.domain)/e2e/layers:s\(step)") }

        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status == 0, "\(pull)")
        let statuses = pull.lines.filter { matches($0, "^[0-9a-f]{12}: ") }
        #expect(statuses.filter { $0.hasSuffix(": Already exists") }.count == 1, "busybox's layer is here: \(pull)")
        #expect(statuses.filter { $0.hasSuffix(": Pulling fs layer") }.count == 4, "\(pull)")
        #expect(statuses.filter { $0.hasSuffix(": Waiting") }.count == 1, "only 3 download at once: \(pull)")
        #expect(statuses.filter { $0.hasSuffix(": Pull complete") }.count == 4, "\(pull)")
        let run = d.docker(["run", "--rm", name, "cat", "/step1", "/step2", "/step3", "/step4"], timeout: 60)
        #expect(run.stdout == "1\n2\n3\n4\n", "the layers were applied in order: \(run)")
        d.docker("rmi", name)
    }

    @Test func crossRepositoryMountOnPush() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let first = "\(registry.domain)/e2e/one:v1"
        let second = "\(registry.domain)/e2e/two:v1"
        try Self.makeImage(d, first, marker: "mount")
        d.dockerOK("tag", first, second)
        defer { d.docker("rmi", first, second) }
        let push1 = Self.berth(d, ["push", first])
        #expect(push1.status == 0 && push1.stdout.contains(": Pushed"), "\(push1)")
        let push2 = Self.berth(d, ["push", second])
        #expect(push2.status == 0, "\(push2)")
        #expect(push2.stdout.contains(": Mounted from e2e/one"), "the layer is mounted, not uploaded: \(push2)")
        #expect(!push2.stdout.contains(": Pushed"), "\(push2)")
    }

    @Test(.enabled(if: dockerPyAvailable, "docker-py 7 is not installed: python3 -m pip install 'docker>=7,<8'"))
    func dockerPyPullsAndPushes() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let repository = "\(registry.domain)/e2e/py"
        try Self.makeImage(d, repository + ":v3", marker: "docker-py")
        let script = """
            import docker, json, sys
            c = docker.DockerClient(base_url="unix://\(d.socket)", version="1.47", timeout=120)
            out = c.images.push("\(repository)", tag="v3")
            lines = [json.loads(l) for l in out.strip().splitlines()]
            aux = [l["aux"] for l in lines if "aux" in l]
            assert aux and aux[0]["Tag"] == "v3" and aux[0]["Digest"].startswith("sha256:"), out
            assert not any("error" in l for l in lines), out
            c.images.remove("\(repository):v3")
            image = c.images.pull("\(repository)", tag="v3")
            assert "\(repository):v3" in image.tags, image.tags
            print(c.containers.run("\(repository):v3", ["cat", "/marker"], remove=True).decode(), end="")
            c.images.remove("\(repository):v3")
            """
        let r = runCommand(["python3", "-c", script], environment: d.environment, timeout: 180)
        #expect(r.status == 0 && r.stdout == "docker-py\n", "\(r)")

        // client.login goes through POST /auth.
        let secured = try ReferenceRegistry.start(user: "carol", password: "py-pw")
        defer { secured.stop() }
        let login = """
            import docker
            c = docker.DockerClient(base_url="unix://\(d.socket)", version="1.47")
            print(c.login("carol", "py-pw", registry="\(secured.domain)", reauth=True)["Status"])
            try:
                c.login("carol", "wrong", registry="\(secured.domain)", reauth=True)
                print("accepted a wrong password")
            except docker.errors.APIError as e:
                print(e.response.status_code, e.explanation)
            """
        let l = runCommand(["python3", "-c", login], environment: d.environment, timeout: 60)
        #expect(l.lines.first == "Login Succeeded", "\(l)")
        #expect(l.lines.last == "401 login attempt to http://\(secured.domain)/v2/ failed with status: 401 Unauthorized", "\(l)")
    }

    @Test func loginWithBasicAuthThenPushAndPull() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start(user: "alice", password: "s3cret-pw")
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/private:v1"
        try Self.makeImage(d, name, marker: "private")
        defer { d.docker("rmi", name) }

        let anonymous = Self.berth(d, ["push", name])
        #expect(anonymous.status != 0 && anonymous.stderr.contains("unauthorized"), "no credentials: \(anonymous)")

        let wrong = Self.berth(d, ["login", "-u", "alice", "--password-stdin", registry.domain], stdin: "nope\n")
        #expect(wrong.status != 0, "\(wrong)")
        #expect(wrong.stderr.contains("login attempt to http://\(registry.domain)/v2/ failed with status: 401 Unauthorized"), "\(wrong)")

        let login = Self.berth(d, ["login", "-u", "alice", "--password-stdin", registry.domain], stdin: "s3cret-pw\n")
        #expect(login.status == 0 && login.stdout == "Login Succeeded\n", "\(login)")
        let config = try String(contentsOfFile: d.dir + "/berth-config/config.json", encoding: .utf8)
        #expect(config.contains(registry.domain) && config.contains(Data("alice:s3cret-pw".utf8).base64EncodedString()), "\(config)")

        let push = Self.berth(d, ["push", name])
        #expect(push.status == 0 && push.stdout.contains(": Pushed"), "\(push)")
        #expect(d.docker("rmi", name).status == 0)
        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status == 0 && pull.stdout.contains("Pull complete"), "\(pull)")

        // The docker CLI logs in through POST /auth and sends X-Registry-Auth itself.
        let dockerLogin = d.docker(["login", "-u", "alice", "--password-stdin", registry.domain], stdin: Data("s3cret-pw\n".utf8))
        #expect(dockerLogin.status == 0 && dockerLogin.stdout.contains("Login Succeeded"), "\(dockerLogin)")
        let dockerPush = d.docker(["push", name], timeout: 120)
        #expect(dockerPush.status == 0 && dockerPush.stdout.contains("Layer already exists"), "\(dockerPush)")
        d.docker("logout", registry.domain)

        let logout = Self.berth(d, ["logout", registry.domain])
        #expect(logout.status == 0 && logout.stdout == "Removing login credentials for \(registry.domain)\n", "\(logout)")
        let denied = Self.berth(d, ["pull", name + "-nope"])
        #expect(denied.status != 0, "\(denied)")
    }

    @Test func bearerTokenFlowWithAnonymousPullAndAuthenticatedPush() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start(user: "bob", password: "t0ken-pw", token: true)
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/tok:v1"
        let other = "\(registry.domain)/e2e/tok2:v1"
        try Self.makeImage(d, name, marker: "token")
        d.dockerOK("tag", name, other)
        defer { d.docker("rmi", name, other) }

        let anonymous = Self.berth(d, ["push", name])
        #expect(anonymous.status != 0 && anonymous.stderr.contains("unauthorized"), "anonymous tokens only pull: \(anonymous)")

        let wrong = Self.berth(d, ["login", "-u", "bob", "--password-stdin", registry.domain], stdin: "nope\n")
        #expect(wrong.status != 0 && wrong.stderr.contains("failed with status: 401 Unauthorized"), "\(wrong)")
        let login = Self.berth(d, ["login", "-u", "bob", "--password-stdin", registry.domain], stdin: "t0ken-pw\n")
        #expect(login.status == 0 && login.stdout == "Login Succeeded\n", "\(login)")

        let push = Self.berth(d, ["push", name])
        #expect(push.status == 0 && push.stdout.contains(": Pushed"), "\(push)")
        #expect(registry.tokenRequests.contains("bob repository:e2e/tok:pull,push"), "\(registry.tokenRequests)")
        // The mount needs pull on the source repository too: the token is asked for both.
        let mount = Self.berth(d, ["push", other])
        #expect(mount.status == 0 && mount.stdout.contains(": Mounted from e2e/tok"), "\(mount)")

        // Anonymous pull through an anonymous token.
        #expect(Self.berth(d, ["logout", registry.domain]).status == 0)
        d.docker("rmi", name, other)
        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status == 0 && pull.stdout.contains("Pull complete"), "\(pull)")
        #expect(registry.tokenRequests.contains("- repository:e2e/tok:pull"), "\(registry.tokenRequests)")
        let run = d.docker(["run", "--rm", name, "cat", "/marker"], timeout: 60)
        #expect(run.stdout == "token\n", "\(run)")
        d.dockerOK("tag", name, other)
    }

    @Test func interopWithBerthRegistryTokenFlow() throws {
        let d = try currentDaemon()
        let registry = try BerthRegistryProcess.start(binDir: d.binDir, user: "dave", password: "berth-pw")
        defer { registry.stop() }
        let name = "\(registry.domain)/dave/app:v1"
        let copy = "\(registry.domain)/dave/copy:v1"
        try Self.makeImage(d, name, marker: "berth-registry")
        d.dockerOK("tag", name, copy)
        defer { d.docker("rmi", name, copy) }
        let login = Self.berth(d, ["login", "-u", "dave", "--password-stdin", registry.domain], stdin: "berth-pw\n")
        #expect(login.status == 0 && login.stdout == "Login Succeeded\n", "\(login)")
        let push = Self.berth(d, ["push", name])
        #expect(push.status == 0 && push.stdout.contains(": Pushed"), "\(push)")
        let mount = Self.berth(d, ["push", copy])
        #expect(mount.status == 0 && (mount.stdout.contains(": Mounted from dave/app") || mount.stdout.contains(": Layer already exists")),
                "\(mount)")
        d.docker("rmi", name, copy)
        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status == 0 && pull.stdout.contains("Pull complete"), "\(pull)")
        let run = d.docker(["run", "--rm", name, "cat", "/marker"], timeout: 60)
        #expect(run.stdout == "berth-registry\n", "\(run)")
        // The docker CLI through berthd, with its own login.
        d.docker("rmi", name)
        let dockerLogin = d.docker(["login", "-u", "dave", "--password-stdin", registry.domain], stdin: Data("berth-pw\n".utf8))
        #expect(dockerLogin.status == 0, "\(dockerLogin)")
        let dockerPull = d.docker(["pull", name], timeout: 120)
        #expect(dockerPull.status == 0 && dockerPull.stdout.contains("Pull complete"), "\(dockerPull)")
        d.docker("logout", registry.domain)
        Self.berth(d, ["logout", registry.domain])
        d.dockerOK("tag", name, copy)
    }

    @Test func badInputIsRefusedClearly() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start()
        defer { registry.stop() }
        let malformed = try d.api("POST", "/v1.47/images/create?fromImage=UPPER&tag=latest")
        #expect(malformed.status == 400, "\(malformed.text)")
        let message = (parseJSON(malformed.text) as? [String: Any])?["message"] as? String
        #expect(message == "invalid reference format: repository name (library/UPPER) must be lowercase", "\(malformed.text)")

        let name = "\(registry.domain)/e2e/known:v1"
        try Self.makeImage(d, name, marker: "known")
        defer { d.docker("rmi", name) }
        #expect(Self.berth(d, ["push", name]).status == 0)
        let unknown = d.docker(["pull", "\(registry.domain)/e2e/known:nosuch"], timeout: 60)
        #expect(unknown.status != 0, "\(unknown)")
        #expect(unknown.stderr.contains("manifest for \(registry.domain)/e2e/known:nosuch not found: manifest unknown: manifest unknown"),
                "\(unknown)")
        let missingLocal = d.docker(["push", "\(registry.domain)/e2e/never:v1"], timeout: 60)
        #expect(missingLocal.status != 0 && missingLocal.stderr.contains("An image does not exist locally with the tag"), "\(missingLocal)")
    }

    @Test func blobNotMatchingItsDigestLeavesNothing() throws {
        let d = try currentDaemon()
        let fake = try BadBlobRegistry.start()
        defer { fake.stop() }
        let name = "\(fake.domain)/e2e/liar:v1"
        let pull = Self.berth(d, ["pull", name])
        #expect(pull.status != 0, "\(pull)")
        #expect(pull.stderr.contains("verification failed for digest \(fake.layerDigest)"), "the error names the digest: \(pull)")
        #expect(!Self.hasBlob(d, fake.layerDigest), "the bad layer never became a blob")
        let ingest = (try? FileManager.default.contentsOfDirectory(atPath: d.root + "/content/ingest")) ?? []
        #expect(ingest.isEmpty, "no partial ingest file is left: \(ingest)")
        #expect(d.docker("image", "inspect", name).status != 0, "no image was tagged")
    }

    @Test func aClientLeavingMidLayerCancelsThePull() throws {
        let d = try currentDaemon()
        let slow = try BadBlobRegistry.start(slow: true)
        defer { slow.stop() }
        let name = "\(slow.domain)/e2e/slow:v1"
        // curl gives up after 1.5 s, well inside the ~3 s the layer takes.
        let curl = runCommand(["curl", "-sN", "--max-time", "1.5", "--unix-socket", d.socket, "-X", "POST",
                               "http://x/v1.47/images/create?fromImage=\(slow.domain)/e2e/slow&tag=v1"], timeout: 30)
        #expect(curl.status == 28, "curl timed out as planned: \(curl)")
        #expect(curl.stdout.contains(#""status":"Downloading""#), "the layer was being downloaded: \(curl)")
        let ingest = d.root + "/content/ingest"
        #expect(eventually(timeout: 10) { ((try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? ["?"]).isEmpty },
                "the cancelled ingest removed its file: \((try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? [])")
        #expect(!Self.hasBlob(d, slow.layerDigest))
        #expect(d.docker("image", "inspect", name).status != 0, "nothing was named")
    }

    @Test(.enabled(if: nonLoopbackIPv4() != nil, "the host has no non-loopback IPv4 address"))
    func insecureRegistryFlagAllowsPlainHTTP() throws {
        let d = try currentDaemon()
        let address = try #require(nonLoopbackIPv4())
        let registry = try ReferenceRegistry.start(host: address)
        defer { registry.stop() }
        let name = "\(registry.domain)/e2e/insecure:v1"
        let second = try Daemon.start(label: "registry-insecure", arguments: ["--insecure-registry", registry.domain])
        defer { second.tearDown() }
        try Self.makeImage(second, name, marker: "plain http")
        let env = second.environment.merging(["BERTH_HOST": second.host]) { $1 }
        let push = runCommand([second.binDir + "/berth", "push", name], environment: env, timeout: 120)
        #expect(push.status == 0 && push.stdout.contains(": Pushed"), "\(push)")
        second.docker("rmi", name)
        let pull = runCommand([second.binDir + "/berth", "pull", name], environment: env, timeout: 120)
        #expect(pull.status == 0 && pull.stdout.contains("Pull complete"), "\(pull)")
        // The suite's daemon has no such flag: it insists on TLS there.
        let refused = Self.berth(d, ["pull", name])
        #expect(refused.status != 0 && refused.stderr.contains("https://\(registry.domain)/v2/"), "\(refused)")
    }

    @Test func dockerHubPullsGoThroughTheMirror() throws {
        let d = try currentDaemon()
        let mirror = try ReferenceRegistry.start()
        defer { mirror.stop() }
        let source = "\(mirror.domain)/library/mirrored:v1"
        try Self.makeImage(d, source, marker: "from the mirror")
        #expect(Self.berth(d, ["push", source]).status == 0)
        d.docker("rmi", source)
        let second = try Daemon.start(label: "registry-mirror", arguments: ["--registry-mirror", "http://\(mirror.domain)"])
        defer { second.tearDown() }
        let pull = runCommand([second.binDir + "/berth", "pull", "mirrored:v1"],
                              environment: second.environment.merging(["BERTH_HOST": second.host]) { $1 }, timeout: 120)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.lines.last == "docker.io/library/mirrored:v1", "\(pull)")
        let run = second.docker(["run", "--rm", "mirrored:v1", "cat", "/marker"], timeout: 60)
        #expect(run.status == 0 && run.stdout == "from the mirror\n", "\(run)")
    }
}
