// The builder end to end: `berth build`, the docker CLI's legacy builder and docker-py against
// berthd; results checked from inside containers of the built images; the cache across content
// and mtime changes and daemon restarts; bad input. A daemon of its own (a test restarts it).
import Foundation
import Glibc
import Testing

/// A build context in a temporary directory: files written with `write`, removed by `remove`.
struct BuildContext {
    let path: String

    init(_ files: [String: String]) throws {
        var template = Array("/tmp/berth-e2e-ctx-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SpawnError("mkdtemp failed") }
        path = String(cString: made)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension EngineE2E {
    @Suite("build", .berthDaemon("build")) struct Build {
        func berth(_ d: Daemon, _ args: [String], env: [String: String] = [:], timeout: Double = 120) -> CommandResult {
            let result = runCommand([d.binDir + "/berth"] + args, environment: d.environment.merging(env.merging(["BERTH_HOST": d.host]) { a, _ in a }) { _, new in new }, timeout: timeout)
            d.noteIDs(in: result.stdout)
            return result
        }

        func dockerBuild(_ d: Daemon, _ args: [String]) -> CommandResult {
            runCommand(["docker", "build"] + args, environment: d.environment.merging(["DOCKER_BUILDKIT": "0"]) { _, new in new }, timeout: 120)
        }

        /// Containers other than those the test made: a build must leave none.
        func containerCount(_ d: Daemon) -> Int { d.dockerOK("ps", "-aq").lines.count }

        @Test func exampleBuildsAndRuns() throws {
            let d = try currentDaemon()
            let tag = uniqueName("hello") + ":1.0"
            defer { d.docker("rmi", "-f", tag) }
            let before = containerCount(d)
            let build = berth(d, ["build", "-t", tag, packageRoot + "/examples/hello"])
            #expect(build.status == 0, "\(build)")
            #expect(build.stdout.contains("Step 1/"), "\(build)")
            #expect(build.stdout.contains("Successfully tagged \(tag)"), "\(build)")
            #expect(containerCount(d) == before, "build containers are removed")
            let probe = d.docker("run", "--rm", "--entrypoint", "sh", tag, "-c",
                                 "id -un; pwd; echo $PORT; stat -c '%U %a' /srv/www/index.html /usr/local/bin/hello-app; grep -c Berth index.html; test -e README.md || echo no-readme")
            #expect(probe.status == 0, "\(probe)")
            #expect(probe.lines == ["web", "/srv/www", "8080", "web 644", "root 755", "2", "no-readme"], "\(probe)")
            let config = d.dockerOK("image", "inspect", "-f", "{{json .Config.Entrypoint}} {{json .Config.ExposedPorts}} {{.Config.User}}", tag).out
            #expect(config == #"["/usr/local/bin/hello-app"] {"8080/tcp":{}} web"#, "\(config)")
            let run = d.docker("run", "-d", tag)
            let id = run.out
            defer { d.docker("rm", "-f", id) }
            #expect(eventually { d.docker("logs", id).stdout.contains("serving /srv/www on port 8080 as web") }, "\(d.docker("logs", id))")
        }

        @Test func cacheFollowsContentNotMtime() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext([
                "Dockerfile": "FROM busybox\nCOPY data.txt /data.txt\nRUN cat /data.txt > /copy.txt\nCMD [\"cat\", \"/copy.txt\"]\n",
                "data.txt": "one\n",
            ])
            defer { ctx.remove() }
            let tag = uniqueName("cache")
            defer { d.docker("rmi", "-f", tag) }
            let first = berth(d, ["build", "-t", tag, ctx.path])
            #expect(first.status == 0 && !first.stdout.contains("Using cache"), "\(first)")
            let second = berth(d, ["build", "-t", tag, ctx.path])
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.components(separatedBy: "Using cache").count - 1 == 3, "every step cached: \(second)")
            // A new mtime, the same content: still cached.
            utimes(ctx.path + "/data.txt", nil)
            let touched = berth(d, ["build", "-t", tag, ctx.path])
            #expect(touched.stdout.components(separatedBy: "Using cache").count - 1 == 3, "mtime is not part of the key: \(touched)")
            // New content: COPY and everything after it run again.
            try ctx.write("data.txt", "two\n")
            let changed = berth(d, ["build", "-t", tag, ctx.path])
            #expect(changed.status == 0 && !changed.stdout.contains("Using cache"), "\(changed)")
            #expect(d.docker("run", "--rm", tag).out == "two")
            // --no-cache runs everything.
            let fresh = berth(d, ["build", "--no-cache", "-t", tag, ctx.path])
            #expect(fresh.status == 0 && !fresh.stdout.contains("Using cache"), "\(fresh)")
        }

        @Test func cacheSurvivesDaemonRestart() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nRUN echo restart-\(UInt32.random(in: 0...UInt32.max)) > /r\n"])
            defer { ctx.remove() }
            let first = berth(d, ["build", "-q", ctx.path])
            #expect(first.status == 0, "\(first)")
            d.terminate()
            try d.launch()
            let second = berth(d, ["build", ctx.path])
            #expect(second.status == 0 && second.stdout.contains("Using cache"), "\(second)")
            #expect(second.stdout.contains("Successfully built \(first.out.dropFirst(7).prefix(12))"), "same image: \(first) \(second)")
        }

        @Test func failingRunTagsNothingAndPoisonsNoCache() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nENV A=1\nRUN echo partial > /p && exit 3\n"])
            defer { ctx.remove() }
            let tag = uniqueName("fail")
            let before = containerCount(d)
            let failed = berth(d, ["build", "-t", tag, ctx.path])
            #expect(failed.status != 0, "\(failed)")
            #expect(failed.stderr.contains("Dockerfile:3: The command '/bin/sh -c echo partial > /p && exit 3' returned a non-zero code: 3"), "\(failed)")
            #expect(d.docker("image", "inspect", tag).status != 0, "nothing tagged")
            #expect(containerCount(d) == before, "the failed step's container is removed")
            try ctx.write("Dockerfile", "FROM busybox\nENV A=1\nRUN echo partial > /p && exit 0\n")
            let fixed = berth(d, ["build", "-t", tag, ctx.path])
            defer { d.docker("rmi", "-f", tag) }
            #expect(fixed.status == 0, "\(fixed)")
            #expect(fixed.stdout.components(separatedBy: "Using cache").count - 1 == 1, "ENV cached, RUN not: \(fixed)")
            #expect(d.docker("run", "--rm", tag, "cat", "/p").out == "partial")
        }

        @Test func copyErrorsNameTheLine() throws {
            let d = try currentDaemon()
            let outside = try BuildContext(["secret": "host file\n"])
            defer { outside.remove() }
            let ctx = try BuildContext(["ok.txt": "ok\n"])
            defer { ctx.remove() }
            symlink(outside.path + "/secret", ctx.path + "/escape")
            symlink("../../../../../../" + outside.path + "/secret", ctx.path + "/relative-escape")
            let cases: [(String, String)] = [
                ("FROM busybox\nCOPY ok.txt /\nCOPY missing.txt /\n", "Dockerfile:3: file not found in build context"),
                ("FROM busybox\nCOPY ../secret /\n", "Dockerfile:2: forbidden path outside the build context"),
                ("FROM busybox\nCOPY escape /\n", "Dockerfile:2: forbidden path outside the build context"),
                ("FROM busybox\nCOPY relative-escape /\n", "Dockerfile:2: forbidden path outside the build context"),
                ("FROM busybox\nCOPY --from=nosuchstage /x /\n", "nosuchstage"),
                ("FROM busybox\nFORM x\n", "Dockerfile:2: unknown instruction"),
            ]
            for (dockerfile, expected) in cases {
                try ctx.write("Dockerfile", dockerfile)
                let r = berth(d, ["build", "-t", "e2e-copyerr:x", ctx.path])
                #expect(r.status != 0 && r.stderr.contains(expected), "\(dockerfile) → \(r)")
            }
            #expect(d.docker("image", "inspect", "e2e-copyerr:x").status != 0)
        }

        @Test func multiStageTargetBuildsOnlyNeededStages() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": """
                FROM busybox AS base
                RUN echo base > /base
                FROM busybox AS broken
                RUN exit 9
                FROM base AS tool
                RUN echo tool > /tool
                FROM busybox
                COPY --from=tool /tool /base /out/
                COPY --from=broken /etc/passwd /never
                """])
            defer { ctx.remove() }
            let tag = uniqueName("target")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "--target", "tool", "-t", tag, ctx.path])
            #expect(r.status == 0, "\(r)")
            #expect(!r.stdout.contains("exit 9"), "the broken stage is not needed by tool: \(r)")
            #expect(r.stdout.contains("Step 1/4 :") && r.stdout.contains("Step 4/4 :"), "4 steps (base and tool): \(r)")
            #expect(d.docker("run", "--rm", tag, "cat", "/base", "/tool").lines == ["base", "tool"])
            let all = berth(d, ["build", ctx.path])
            #expect(all.status != 0 && all.stderr.contains("returned a non-zero code: 9"), "the last stage needs broken: \(all)")
        }

        @Test func copySemanticsChownChmodAndAddTar() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext([
                "dir/a.txt": "a\n", "dir/sub/b.txt": "b\n", "one.conf": "1\n", "two.conf": "2\n", "skip.log": "x\n",
                ".dockerignore": "*.log\n",
                "Dockerfile": """
                    FROM busybox
                    COPY dir /app/
                    COPY *.conf /conf/
                    COPY --chown=1234:2345 --chmod=600 one.conf /owned
                    COPY --chown=app one.conf /named
                    ADD files.tar /unpacked/
                    COPY files.tar /packed.tar
                    WORKDIR /made/here
                    """,
            ])
            defer { ctx.remove() }
            let tarSource = try BuildContext(["t/inner.txt": "inner\n"])
            defer { tarSource.remove() }
            #expect(runCommand(["tar", "-C", tarSource.path, "-czf", ctx.path + "/files.tar", "t"]).status == 0)
            let tag = uniqueName("copy")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "-t", tag, ctx.path])
            #expect(r.status == 0, "\(r)")
            let probe = d.docker("run", "--rm", tag, "sh", "-c", """
                cat /app/a.txt /app/sub/b.txt /conf/one.conf /conf/two.conf /unpacked/t/inner.txt; \
                stat -c '%u:%g %a' /owned /named /app/a.txt; test -f /packed.tar && echo packed; pwd; ls / | grep -c skip.log
                """)
            #expect(probe.lines == ["a", "b", "1", "2", "inner", "1234:2345 600", "1000:1000 644", "0:0 644", "packed", "/made/here", "0"],
                    "\(probe)")
        }

        @Test func reproducibleWithSourceDateEpoch() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nCOPY f /f\nRUN echo built > /built && mkdir /x && touch /x/y\nENV X=1\n", "f": "f\n"])
            defer { ctx.remove() }
            let env = ["SOURCE_DATE_EPOCH": "1700000000"]
            let first = berth(d, ["build", "-q", "--no-cache", ctx.path], env: env)
            sleep(1)
            let second = berth(d, ["build", "-q", "--no-cache", ctx.path], env: env)
            #expect(first.status == 0 && second.status == 0, "\(first) \(second)")
            #expect(first.out == second.out, "same digest: \(first.out) vs \(second.out)")
            let created = d.dockerOK("image", "inspect", "-f", "{{.Created}}", first.out).out
            #expect(created.hasPrefix("2023-11-14T22:13:20"), "\(created)")
        }

        @Test func dockerCLIBuilds() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nARG WHO=docker\nCOPY hi /hi\nRUN echo \"built by $WHO\" >> /hi\nUSER 1000\nCMD [\"cat\", \"/hi\"]\n",
                                        "hi": "hello\n"])
            defer { ctx.remove() }
            let tag = uniqueName("dockercli") + ":v1"
            defer { d.docker("rmi", "-f", tag) }
            let r = dockerBuild(d, ["-t", tag, "--build-arg", "WHO=the-cli", ctx.path])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("Step 3/6 : COPY hi /hi"), "\(r)")
            #expect(r.stdout.contains("Successfully tagged \(tag)"), "\(r)")
            #expect(d.docker("run", "--rm", tag).lines == ["hello", "built by the-cli"])
            #expect(d.dockerOK("image", "inspect", "-f", "{{.Config.User}}", tag).out == "1000")
            let again = dockerBuild(d, ["-t", tag, "--build-arg", "WHO=the-cli", ctx.path])
            #expect(again.stdout.contains("Using cache"), "\(again)")
            let quiet = dockerBuild(d, ["-q", "-t", tag, "--build-arg", "WHO=the-cli", ctx.path])
            let id = d.dockerOK("image", "inspect", "-f", "{{.Id}}", tag).out
            #expect(quiet.status == 0 && quiet.out == id, "docker build -q prints the ID once: \(quiet)")
            let history = d.dockerOK("history", "--no-trunc", "--format", "{{.CreatedBy}}", tag)
            #expect(history.lines.first == #"/bin/sh -c #(nop)  CMD ["cat" "/hi"]"#, "\(history)")
            #expect(history.lines.contains("|1 WHO=the-cli /bin/sh -c echo \"built by $WHO\" >> /hi"), "\(history)")
            let failing = try BuildContext(["Dockerfile": "FROM busybox\nRUN exit 4\n"])
            defer { failing.remove() }
            let bad = dockerBuild(d, [failing.path])
            #expect(bad.status != 0 && bad.stderr.contains("returned a non-zero code: 4"), "\(bad)")
        }

        @Test(.enabled(if: dockerPyAvailable, "docker-py 7 is not installed")) func dockerPyBuilds() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nCOPY x /x\nCMD [\"cat\", \"/x\"]\n", "x": "from docker-py\n"])
            defer { ctx.remove() }
            let tag = uniqueName("dockerpy") + ":latest"
            defer { d.docker("rmi", "-f", tag) }
            let script = """
                import docker, sys
                client = docker.DockerClient(base_url=sys.argv[1])
                image, logs = client.images.build(path=sys.argv[2], tag=sys.argv[3])
                text = "".join(chunk.get("stream", "") for chunk in logs)
                assert "Successfully built" in text, text
                print(image.id)
                print(client.containers.run(sys.argv[3], remove=True).decode().strip())
                try:
                    client.images.build(path=sys.argv[2], dockerfile="Nope")
                    print("no error")
                except docker.errors.BuildError as error:
                    print("BuildError")
                except docker.errors.APIError as error:
                    print("APIError")
                """
            let r = runCommand(["python3", "-c", script, d.host, ctx.path, tag], environment: d.environment, timeout: 120)
            #expect(r.status == 0, "\(r)")
            #expect(r.lines.count == 3 && r.lines[0].hasPrefix("sha256:") && r.lines[1] == "from docker-py", "\(r)")
            #expect(r.lines.last == "BuildError" || r.lines.last == "APIError", "\(r)")
        }

        @Test func cliFlagsFileOutsideIidfileLabelsArgs() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["data": "d\n", "ignored.tmp": "no\n", ".dockerignore": "data\n"])
            defer { ctx.remove() }
            let elsewhere = try BuildContext(["Dockerfile.custom.dockerignore": "*.tmp\n.dockerignore\n", "Dockerfile.custom": """
                FROM busybox
                ARG GREETING=default
                COPY . /ctx/
                RUN --network=none echo "$GREETING" > /greeting
                """])
            defer { elsewhere.remove() }
            let iid = elsewhere.path + "/iid"
            let tag = uniqueName("flags")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "-q", "-f", elsewhere.path + "/Dockerfile.custom", "--iidfile", iid, "--label", "team=berth",
                              "--build-arg", "GREETING=hi there", "--network", "none", "--progress", "plain", "-t", tag, ctx.path])
            #expect(r.status == 0, "\(r)")
            #expect(r.out.hasPrefix("sha256:") && (try? String(contentsOfFile: iid, encoding: .utf8)) == r.out, "\(r)")
            #expect(d.dockerOK("image", "inspect", "-f", "{{index .Config.Labels \"team\"}}", tag).out == "berth")
            #expect(d.docker("run", "--rm", tag, "cat", "/greeting").out == "hi there")
            let listing = d.docker("run", "--rm", tag, "ls", "/ctx")
            #expect(listing.lines == ["data"], "the Dockerfile is outside; its own ignore file beside it wins over the context's: \(listing)")
        }

        @Test func heredocsAndRunMounts() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["input/value": "from the context\n", "Dockerfile": """
                FROM busybox
                COPY <<EOF /hello.txt
                hello heredoc
                EOF
                RUN <<EOF
                echo from-run-heredoc > /rh
                EOF
                RUN --mount=type=bind,source=input,target=/mnt/in cat /mnt/in/value > /bound
                RUN --mount=type=cache,target=/cache echo x >> /cache/n && wc -l < /cache/n > /cache-count
                RUN --mount=type=tmpfs,target=/scratch touch /scratch/t && test ! -e /mnt/in/value
                """])
            defer { ctx.remove() }
            let tag = uniqueName("heredoc")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "-t", tag, ctx.path])
            #expect(r.status == 0, "\(r)")
            let probe = d.docker("run", "--rm", tag, "sh", "-c", "cat /hello.txt /rh /bound /cache-count; ls /scratch /cache 2>/dev/null | wc -l")
            #expect(probe.lines == ["hello heredoc", "from-run-heredoc", "from the context", "1", "0"], "\(probe)")
            // The cache mount persists across builds: a --no-cache build sees the earlier line.
            let again = berth(d, ["build", "--no-cache", "-t", tag, ctx.path])
            #expect(again.status == 0, "\(again)")
            #expect(d.docker("run", "--rm", tag, "cat", "/cache-count").out == "2")
        }

        @Test func onbuildTriggersRunInTheChild() throws {
            let d = try currentDaemon()
            let base = uniqueName("onbuild-base")
            defer { d.docker("rmi", "-f", base) }
            let parent = try BuildContext(["Dockerfile": "FROM busybox\nONBUILD COPY app.txt /app/\nONBUILD RUN wc -c < /app/app.txt > /app/size\n"])
            defer { parent.remove() }
            #expect(berth(d, ["build", "-t", base, parent.path]).status == 0)
            #expect(d.dockerOK("image", "inspect", "-f", "{{json .Config.OnBuild}}", base).out == #"["COPY app.txt /app/","RUN wc -c < /app/app.txt > /app/size"]"#)
            let child = try BuildContext(["Dockerfile": "FROM \(base)\nCMD [\"cat\", \"/app/size\"]\n", "app.txt": "12345\n"])
            defer { child.remove() }
            let tag = uniqueName("onbuild-child")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "-t", tag, child.path])
            #expect(r.status == 0 && r.stdout.contains("# Executing 2 build triggers"), "\(r)")
            #expect(d.docker("run", "--rm", tag).out == "6")
            #expect(d.dockerOK("image", "inspect", "-f", "{{json .Config.OnBuild}}", tag).out == "null", "triggers do not pass to grandchildren")
        }

        @Test func unsupportedSourcesAndPullSayWhy() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nADD git@example.com:x/y.git /y\n"])
            defer { ctx.remove() }
            let git = berth(d, ["build", ctx.path])
            #expect(git.status != 0 && git.stderr.contains("Dockerfile:2: ADD from a git repository is not supported"), "\(git)")
            try ctx.write("Dockerfile", "FROM busybox\nCOPY http://127.0.0.1:1/x /x\n")
            let copyURL = berth(d, ["build", ctx.path])
            #expect(copyURL.status != 0 && copyURL.stderr.contains("Dockerfile:2: source can't be a URL for COPY"), "\(copyURL)")
            // --pull asks the base's registry: one that does not answer is an error naming it and the line.
            let registry = "127.0.0.1:\(freePort())"
            try ctx.write("Dockerfile", "FROM \(registry)/e2e/base:1\n")
            let pull = berth(d, ["build", "--pull", ctx.path])
            #expect(pull.status != 0 && pull.stderr.contains("Dockerfile:1:") && pull.stderr.contains(registry), "\(pull)")
            try ctx.write("Dockerfile", "FROM e2e-no-such-base:1\n")
            let missing = berth(d, ["build", ctx.path])
            #expect(missing.status != 0 && missing.stderr.contains("Dockerfile:1: No such image: e2e-no-such-base:1"), "\(missing)")
        }

        @Test func scratchStagesAndStageIndexes() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["a": "from scratch\n", "Dockerfile": """
                FROM scratch AS files
                COPY a /data/a
                LABEL stage=files
                FROM busybox
                COPY --from=0 /data /copied
                COPY --from=files /data/a /again
                """])
            defer { ctx.remove() }
            let tag = uniqueName("scratch")
            defer { d.docker("rmi", "-f", tag) }
            let r = berth(d, ["build", "-t", tag, ctx.path])
            #expect(r.status == 0, "\(r)")
            #expect(d.docker("run", "--rm", tag, "cat", "/copied/a", "/again").lines == ["from scratch", "from scratch"])
            let files = berth(d, ["build", "-q", "--target", "files", ctx.path])
            #expect(files.status == 0, "\(files)")
            #expect(d.dockerOK("image", "inspect", "-f", "{{len .RootFS.Layers}} {{.Config.Labels}}", files.out).out == "1 map[stage:files]")
        }

        @Test func pruneForgetsTheCache() throws {
            let d = try currentDaemon()
            let ctx = try BuildContext(["Dockerfile": "FROM busybox\nRUN echo prune-\(UInt32.random(in: 0...UInt32.max)) > /p\n"])
            defer { ctx.remove() }
            #expect(berth(d, ["build", ctx.path]).status == 0)
            #expect(berth(d, ["build", ctx.path]).stdout.contains("Using cache"))
            let prune = d.docker("builder", "prune", "-af")
            #expect(prune.status == 0, "\(prune)")
            let after = berth(d, ["build", ctx.path])
            #expect(after.status == 0 && !after.stdout.contains("Using cache"), "\(after)")
        }
    }
}
