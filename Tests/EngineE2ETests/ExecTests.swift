// docker exec: output, exit codes, -e, -w, -u, -it through a pty, errors.
import Foundation
import Testing

extension EngineE2E {
    @Suite("docker exec") struct Exec {
        @Test func outputExitCodeEnvWorkdirUser() throws {
            let d = try currentDaemon()
            let name = uniqueName("exec")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")

            let echo = d.docker("exec", name, "echo", "x")
            #expect(echo.status == 0 && echo.stdout == "x\n" && echo.stderr.isEmpty, "\(echo)")
            let split = d.docker("exec", name, "sh", "-c", "echo out; echo err >&2")
            #expect(split.stdout == "out\n" && split.stderr == "err\n", "\(split)")
            for code in [3, 42] {
                let exit = d.docker("exec", name, "sh", "-c", "exit \(code)")
                #expect(exit.status == Int32(code), "exec exit code \(code): \(exit)")
            }
            #expect(d.docker("exec", "-e", "FOO=bar", name, "sh", "-c", "echo $FOO").stdout == "bar\n")
            #expect(d.docker("exec", "-w", "/tmp", name, "pwd").stdout == "/tmp\n")
            let user = d.docker("exec", "-u", "1000", name, "id")
            #expect(user.stdout == "uid=1000(app) gid=1000(app) groups=1000(app)\n", "\(user)")
            let piped = d.docker(["exec", "-i", name, "cat"], stdin: Data("via-exec-stdin\n".utf8))
            #expect(piped.stdout == "via-exec-stdin\n", "\(piped)")
            // The exec runs in the container: same pid namespace, pid 1 is the container's process.
            #expect(d.docker("exec", name, "cat", "/proc/1/cmdline").stdout == "sleep\u{0}1000\u{0}")
        }

        /// docker 28: `OCI runtime exec failed: … exec: "nosuchcmd": executable file not found in $PATH` and exit 126 or 127.
        @Test func missingExecutable() throws {
            let d = try currentDaemon()
            let name = uniqueName("execmiss")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let r = d.docker("exec", name, "nosuchcmd")
            #expect(r.status == 126 || r.status == 127, "\(r)")
            #expect(r.stdout.contains("executable file not found in $PATH") || r.stderr.contains("executable file not found in $PATH"), "\(r)")
            #expect(d.docker("exec", name, "true").status == 0, "the container is unaffected")
        }

        @Test func execInAStoppedContainerFails() throws {
            let d = try currentDaemon()
            let name = uniqueName("execstopped")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("create", "--name", name, "busybox", "true")
            let r = d.docker("exec", name, "true")
            #expect(r.status == 1, "\(r)")
            #expect(r.stderr.lowercased().contains("is not running"), "\(r)")
            let missing = d.docker("exec", "e2e-no-such-container", "true")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("No such container: e2e-no-such-container"), "\(missing)")
        }

        @Test func execItGetsATerminal() throws {
            let d = try currentDaemon()
            let name = uniqueName("execit")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let r = d.shell("script -qec \"docker exec -it \(name) sh -c 'tty; echo hello'\" /dev/null </dev/null")
            #expect(r.status == 0, "\(r)")
            #expect(matches(r.stdout, #"/dev/pts/\d+"#), "\(r)")
            #expect(r.stdout.contains("hello"), "\(r)")
            let typed = d.shell("printf 'echo typed-$((6*7))\\nexit 4\\n' | script -qec \"docker exec -it \(name) sh\" /dev/null")
            #expect(typed.stdout.contains("typed-42"), "input reaches the exec's terminal: \(typed)")
            #expect(typed.status == 4, "\(typed)")
        }
    }
}
