// docker run: output, exit codes, docker's error messages, stdin, terminals, detached
// containers as `docker ps` shows them, --rm.
import Foundation
import Testing

extension EngineE2E {
    @Suite("docker run and ps") struct Run {
        @Test func runPrintsHi() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "busybox", "echo", "hi")
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout == "hi\n", "\(r)")
            #expect(r.stderr.isEmpty, "\(r)")
        }

        @Test func exitCodeIsPassedThrough() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "busybox", "sh", "-c", "exit 7")
            #expect(r.status == 7, "\(r)")
            #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        }

        @Test func stdoutAndStderrStaySeparate() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "busybox", "sh", "-c", "echo to-out; echo to-err >&2")
            #expect(r.stdout == "to-out\n" && r.stderr == "to-err\n", "\(r)")
        }

        /// docker: `docker: Error response from daemon: failed to create task for container: … exec:
        /// "nonexistentcmd": executable file not found in $PATH: unknown` and exit 127.
        @Test func missingCommandIs127() throws {
            let d = try currentDaemon()
            let name = uniqueName("nocmd")
            defer { d.docker("rm", "-f", name) }
            let r = d.docker(["run", "--name", name, "busybox", "nonexistentcmd"], timeout: 20)
            #expect(r.status == 127, "\(r)")
            #expect(r.stderr.hasPrefix("docker: Error response from daemon: "), "\(r)")
            #expect(r.stderr.contains("executable file not found in $PATH"), "\(r)")
            #expect(r.stderr.contains("nonexistentcmd"), "\(r)")
            #expect(r.stderr.contains("Run 'docker run --help' for more information"), "\(r)")
        }

        /// With --rm the CLI waits for the removal after a failed start: the daemon must remove the container.
        @Test func missingCommandWithRmIs127AndRemoved() throws {
            let d = try currentDaemon()
            let name = uniqueName("nocmdrm")
            defer { d.docker("rm", "-f", name) }
            let r = d.docker(["run", "--rm", "--name", name, "busybox", "nonexistentcmd"], timeout: 15)
            #expect(r.status == 127, "\(r)")
            #expect(r.stderr.contains("executable file not found in $PATH"), "\(r)")
            #expect(eventually(timeout: 5) { d.docker("inspect", name).status != 0 }, "the --rm container is removed")
        }

        /// The shim and the runtime are spawned while the bundle is made: a start that fails
        /// before it is ready (a device that does not exist) must end both, and leave no mount
        /// and no shim socket.
        @Test func startFailingWhileTheBundleIsMadeLeavesNoShim() throws {
            let d = try currentDaemon()
            let name = uniqueName("nodev")
            defer { d.docker("rm", "-f", name) }
            let r = d.docker(["run", "--name", name, "--device", "/dev/berth-no-such-device", "busybox", "true"], timeout: 20)
            #expect(r.status == 125 || r.status == 127 || r.status == 126, "\(r)")
            #expect(r.stderr.contains("/dev/berth-no-such-device"), "\(r)")
            let id = d.docker("inspect", "-f", "{{.Id}}", name).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.count == 64, "\(id)")
            #expect(eventually(timeout: 5) {
                HostCleanup.allPIDs().allSatisfy { !HostCleanup.commandLine($0).contains(id) }
            }, "a shim or runtime of \(id) is still running")
            let shimDirectory = d.execRoot + "/shims/" + String(id.prefix(16))
            #expect(!FileManager.default.fileExists(atPath: shimDirectory + "/shim.sock"))
            #expect(!FileManager.default.fileExists(atPath: shimDirectory + "/shim.pid"))
            #expect(HostCleanup.mounts(under: d.execRoot + "/containers/" + id).isEmpty)
        }

        @Test func missingImageIs125UnableToFind() throws {
            let d = try currentDaemon()
            let r = d.docker(["run", "--rm", "e2e-nosuchimage:latest", "true"], timeout: 60)
            #expect(r.status == 125, "\(r)")
            #expect(r.stderr.hasPrefix("Unable to find image 'e2e-nosuchimage:latest' locally\n"), "\(r)")
            #expect(r.stderr.contains("docker: Error response from daemon: "), "\(r)")
        }

        @Test func stdinIsPipedWithI() throws {
            let d = try currentDaemon()
            let r = d.shell("echo data | docker run -i --rm busybox cat")
            #expect(r.status == 0 && r.stdout == "data\n", "\(r)")
            let big = String(repeating: "0123456789abcdef", count: 16384)   // 256 KiB through the hijacked stream
            let wc = d.docker(["run", "-i", "--rm", "busybox", "wc", "-c"], stdin: Data(big.utf8))
            #expect(wc.out.trimmingCharacters(in: .whitespaces) == "\(big.utf8.count)", "\(wc)")
        }

        @Test func runItGetsATerminal() throws {
            let d = try currentDaemon()
            let r = d.shell("script -qec \"docker run -it --rm busybox sh -c 'tty; stty size; echo pty-ok'\" /dev/null </dev/null")
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("/dev/pts/0"), "\(r)")
            #expect(r.stdout.contains("pty-ok"), "\(r)")
            let code = d.shell("script -qec \"docker run -it --rm busybox sh -c 'exit 3'\" /dev/null </dev/null")
            #expect(code.status == 3, "exit code through the terminal: \(code)")
        }

        @Test func detachedContainerInPs() throws {
            let d = try currentDaemon()
            let name = uniqueName("ps")
            defer { d.docker("rm", "-f", name) }
            let run = d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let id = run.out
            #expect(HostCleanup.isContainerID(id), "run -d prints the full ID: \(run)")

            let ps = d.dockerOK("ps")
            let table = try Table(ps.stdout, labels: ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"])
            let row = try #require(table.row(where: "NAMES", is: name), "\(ps)")
            #expect(row["CONTAINER ID"] == String(id.prefix(12)), "\(ps)")
            #expect(row["IMAGE"] == "busybox", "\(ps)")
            #expect(row["COMMAND"] == "\"sleep 1000\"", "\(ps)")
            #expect(row["STATUS"]?.hasPrefix("Up ") == true, "\(ps)")
            #expect(row["PORTS"] == "", "\(ps)")
            #expect(matches(row["CREATED"] ?? "", #"(seconds?|Less than a second) ago$"#), "\(ps)")

            let quiet = d.dockerOK("ps", "-a", "-q")
            #expect(quiet.lines.contains(String(id.prefix(12))), "\(quiet)")
            #expect(quiet.lines.allSatisfy { $0.count == 12 }, "\(quiet)")
            let noTrunc = d.dockerOK("ps", "-a", "-q", "--no-trunc")
            #expect(noTrunc.lines.contains(id), "\(noTrunc)")

            let formatted = d.dockerOK("ps", "--format", "{{.Names}} {{.Status}}")
            let line = formatted.lines.first { $0.hasPrefix(name + " ") }
            #expect(line.map { matches($0, #"^\S+ Up (Less than a second|\d+ seconds?)$"#) } == true, "\(formatted)")

            let filtered = d.dockerOK("ps", "--filter", "name=\(name)", "--format", "{{.ID}} {{.Image}} {{.Command}} {{.State}}")
            #expect(filtered.out == "\(id.prefix(12)) busybox \"sleep 1000\" running", "\(filtered)")
        }

        /// SizeRw is the apparent size of the files in the writable layer (not disk blocks), SizeRootFs adds
        /// the image; `ps -s` shows both as "100kB (virtual 2.08MB)".
        @Test func sizeOfTheWritableLayer() throws {
            let d = try currentDaemon()
            let name = uniqueName("size")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sh", "-c", "head -c 100000 /dev/zero > /tmp/blob; echo ok; sleep 1000")
            #expect(eventually { d.docker("logs", name).stdout == "ok\n" })
            let sizes = d.dockerOK("inspect", "-s", "-f", "{{.SizeRw}} {{.SizeRootFs}}", name).out.split(separator: " ").map(String.init)
            #expect(sizes.first == "100000", "SizeRw counts bytes written: \(sizes)")
            #expect(sizes.count == 2 && (Int(sizes[1]) ?? 0) > 1_000_000, "SizeRootFs includes the image: \(sizes)")
            let ps = d.dockerOK("ps", "-s", "--filter", "name=\(name)", "--format", "{{.Size}}")
            #expect(matches(ps.out, #"^100kB \(virtual \d+(\.\d+)?MB\)$"#), "\(ps)")
        }

        @Test func exitedContainerInPsA() throws {
            let d = try currentDaemon()
            let name = uniqueName("psa")
            defer { d.docker("rm", "-f", name) }
            let r = d.docker("run", "--name", name, "busybox", "sh", "-c", "exit 3")
            #expect(r.status == 3)
            #expect(!d.dockerOK("ps", "--format", "{{.Names}}").lines.contains(name), "ps without -a hides exited containers")
            let status = d.dockerOK("ps", "-a", "--filter", "name=\(name)", "--format", "{{.Status}}").out
            #expect(matches(status, #"^Exited \(3\) (Less than a second|\d+ seconds?) ago$"#), "\(status)")
        }

        @Test func rmRemovesTheContainerAfterItExits() throws {
            let d = try currentDaemon()
            let name = uniqueName("autorm")
            d.dockerOK("run", "-d", "--rm", "--name", name, "busybox", "sh", "-c", "sleep 0.3")
            let gone = eventually(timeout: 10) {
                d.docker("ps", "-a", "--filter", "name=\(name)", "-q").out.isEmpty
            }
            #expect(gone, "--rm container still listed: \(d.docker("ps", "-a", "--filter", "name=\(name)"))")
            #expect(d.docker("inspect", name).status == 1)
            // Foreground --rm: the CLI returns after the removal.
            let fg = uniqueName("autorm")
            #expect(d.docker("run", "--rm", "--name", fg, "busybox", "true").status == 0)
            #expect(d.docker("inspect", fg).status == 1, "removed when `docker run --rm` returns")
        }

        @Test func environmentHostnameAndWorkdir() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "-e", "GREETING=hello", "-w", "/tmp", "--hostname", "e2e-host", "busybox",
                             "sh", "-c", "echo $GREETING $(pwd) $(hostname)")
            #expect(r.stdout == "hello /tmp e2e-host\n", "\(r)")
        }
    }
}
