import Foundation
import Testing

/// The real docker CLI 28 against berthd (DOCKER_HOST=unix://…). Root only: real containers.
@Suite(.serialized, .enabled(if: BerthdFixture.isRoot, "end-to-end tests need root"))
struct DockerCLICompatTests {
    let d: BerthdFixture
    init() throws { d = try BerthdFixture.shared() }

    @Test func versionAndInfoNegotiateTheAPI() {
        #expect(d.docker(["version", "--format", "{{.Server.APIVersion}}"]).out == "1.47")
        let info = d.docker(["info", "--format", "{{.Driver}} {{.OSType}} {{.LoggingDriver}}"])
        #expect(info.out == "overlay2 linux json-file", "\(info)")
    }

    @Test func runPrintsOutputAndPassesExitCodes() {
        let hi = d.docker(["run", "--rm", "busybox", "echo", "hi"])
        #expect(hi.status == 0 && hi.stdout == "hi\n", "\(hi)")
        #expect(d.docker(["run", "--rm", "busybox", "sh", "-c", "exit 7"]).status == 7)
        let split = d.docker(["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2"])
        #expect(split.stdout == "out\n" && split.stderr == "err\n", "\(split)")
        let missing = d.docker(["run", "--rm", "busybox", "no-such-program"])
        #expect(missing.status == 127, "\(missing)")
        #expect(missing.stderr.contains("executable file not found"))
        let noImage = d.docker(["run", "--rm", "no-such-image:1"])
        #expect(noImage.status == 125, "\(noImage)")
        #expect(noImage.stderr.contains("Unable to find image 'no-such-image:1' locally"))
    }

    @Test func detachedContainerLifecycle() {
        let id = d.docker(["run", "-d", "--name", "life", "-e", "GREETING=hello", "busybox", "sh", "-c",
                           "trap 'echo got-term; exit 0' TERM; echo $GREETING; while true; do sleep 0.1; done"]).out
        #expect(id.count == 64, "\(id)")
        let ps = d.docker(["ps", "--filter", "name=life", "--format", "{{.Names}}|{{.Status}}|{{.Command}}"]).out
        #expect(ps.hasPrefix("life|Up "), "\(ps)")
        #expect(d.docker(["exec", "life", "cat", "/proc/1/cmdline"]).status == 0)
        #expect(d.docker(["exec", "life", "sh", "-c", "exit 3"]).status == 3)
        #expect(d.docker(["exec", "-e", "X=1", "-w", "/tmp", "life", "sh", "-c", "echo $X $PWD"]).out == "1 /tmp")
        #expect(d.docker(["exec", "-u", "1000", "life", "id", "-u"]).out == "1000")
        let stop = d.docker(["stop", "life"])
        #expect(stop.status == 0 && stop.out == "life", "\(stop)")
        let logs = d.docker(["logs", "life"]).stdout
        #expect(logs == "hello\ngot-term\n", "\(logs)")
        #expect(d.docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.Name}}", "life"]).out == "exited 0 /life")
        #expect(d.docker(["rm", "life"]).status == 0)
        #expect(d.docker(["inspect", "life"]).status != 0)
    }

    @Test func stopKillsAProcessThatIgnoresTheSignal() {
        _ = d.docker(["run", "-d", "--name", "stubborn", "busybox", "sleep", "600"])
        let started = Date()
        #expect(d.docker(["stop", "-t", "1", "stubborn"]).status == 0)
        #expect(Date().timeIntervalSince(started) < 6)
        #expect(d.docker(["inspect", "-f", "{{.State.ExitCode}}", "stubborn"]).out == "137")
        _ = d.docker(["rm", "-f", "stubborn"])
    }

    @Test func stdinAndTerminals() {
        let cat = d.docker(["run", "-i", "--rm", "busybox", "cat"], stdin: "piped data\n")
        #expect(cat.stdout == "piped data\n", "\(cat)")
        let tty = d.sh("script -qec 'docker run -t --rm busybox tty' /dev/null < /dev/null")
        #expect(tty.stdout.contains("/dev/pts/0"), "\(tty)")
        _ = d.docker(["run", "-d", "--name", "ttyexec", "busybox", "sleep", "600"])
        let execTTY = d.sh("script -qec 'docker exec -t ttyexec tty' /dev/null < /dev/null")
        #expect(execTTY.stdout.contains("/dev/pts/"), "\(execTTY)")
        _ = d.docker(["rm", "-f", "ttyexec"])
    }

    @Test func conflictsAndMissingObjectsGetDockersErrors() {
        _ = d.docker(["run", "-d", "--name", "busy", "busybox", "sleep", "600"])
        let conflict = d.docker(["run", "-d", "--name", "busy", "busybox", "true"])
        #expect(conflict.status == 125)
        #expect(conflict.stderr.contains("Conflict. The container name \"/busy\" is already in use"), "\(conflict)")
        let rm = d.docker(["rm", "busy"])
        #expect(rm.status == 1)
        #expect(rm.stderr.contains("stop the container before removing or force remove"), "\(rm)")
        #expect(d.docker(["start", "busy"]).status == 0)  // already running: docker's 304, no error
        let bad = d.docker(["run", "--name", "a b", "busybox", "true"])
        #expect(bad.status == 125 && bad.stderr.contains("Invalid container name"), "\(bad)")
        let missing = d.docker(["stop", "nope-nope"])
        #expect(missing.status == 1 && missing.stderr.contains("No such container: nope-nope"), "\(missing)")
        #expect(d.docker(["rm", "-f", "busy"]).status == 0)
    }

    @Test func pauseRestartRenameTopStatsPort() {
        _ = d.docker(["run", "-d", "--name", "ops", "busybox", "sleep", "600"])
        #expect(d.docker(["pause", "ops"]).status == 0)
        #expect(d.docker(["ps", "--filter", "name=ops", "--format", "{{.Status}}"]).out.hasSuffix("(Paused)"))
        #expect(d.docker(["unpause", "ops"]).status == 0)
        #expect(d.docker(["rename", "ops", "ops2"]).status == 0)
        let top = d.docker(["top", "ops2"])
        #expect(top.stdout.contains("sleep 600"), "\(top)")
        let stats = d.docker(["stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "ops2"])
        #expect(stats.out == "ops2 1", "\(stats)")
        #expect(d.docker(["port", "ops2"]).out == "")
        #expect(d.docker(["restart", "-t", "1", "ops2"]).status == 0)
        #expect(d.docker(["inspect", "-f", "{{.State.Running}}", "ops2"]).out == "true")
        #expect(d.docker(["rm", "-f", "ops2"]).status == 0)
    }

    @Test func logsOptions() {
        _ = d.docker(["run", "--name", "chatty", "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2"])
        #expect(d.docker(["logs", "--tail", "2", "chatty"]).stdout == "line5\n")
        let split = d.docker(["logs", "chatty"])
        #expect(split.stdout == "line1\nline2\nline3\nline4\nline5\n" && split.stderr == "oops\n", "\(split)")
        let stamped = d.docker(["logs", "-t", "chatty"]).stdout.split(separator: "\n").first ?? ""
        #expect(stamped.hasSuffix("Z line1") && stamped.count > 30, "\(stamped)")
        #expect(d.docker(["logs", "--since", "2099-01-01T00:00:00Z", "chatty"]).stdout.isEmpty)
        let follow = d.docker(["run", "-d", "busybox", "sh", "-c", "echo a; sleep 1; echo b"]).out
        let followed = d.docker(["logs", "-f", follow], timeout: 15)
        #expect(followed.stdout == "a\nb\n", "\(followed)")
        _ = d.docker(["rm", "-f", "chatty", follow])
    }

    @Test func volumesBindsTmpfsAndReadOnly() throws {
        #expect(d.docker(["volume", "create", "e2edata"]).out == "e2edata")
        #expect(d.docker(["run", "--rm", "-v", "e2edata:/data", "busybox", "sh", "-c", "echo kept > /data/f"]).status == 0)
        #expect(d.docker(["run", "--rm", "-v", "e2edata:/data", "busybox", "cat", "/data/f"]).out == "kept")
        #expect(d.docker(["volume", "ls", "--format", "{{.Name}}"]).stdout.contains("e2edata"))
        let host = d.directory + "/bind"
        try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
        try "from host".write(toFile: host + "/h", atomically: true, encoding: .utf8)
        #expect(d.docker(["run", "--rm", "-v", "\(host):/h:ro", "busybox", "cat", "/h/h"]).out == "from host")
        #expect(d.docker(["run", "--rm", "-v", "\(host):/h:ro", "busybox", "touch", "/h/x"]).status != 0)
        #expect(d.docker(["run", "--rm", "--tmpfs", "/run", "busybox", "sh", "-c", "grep ' /run ' /proc/mounts"]).stdout.contains("tmpfs"))
        #expect(d.docker(["run", "--rm", "--read-only", "busybox", "touch", "/x"]).status != 0)
        #expect(d.docker(["run", "--rm", "--read-only", "busybox", "touch", "/dev/shm/x"]).status == 0)
        #expect(d.docker(["volume", "rm", "e2edata"]).status == 0)
    }

    @Test func resourcesSecurityAndUsers() {
        let id = d.docker(["run", "-d", "-m", "64m", "--pids-limit", "50", "busybox", "sleep", "600"]).out
        #expect(d.docker(["inspect", "-f", "{{.HostConfig.Memory}}", id]).out == "67108864")
        let limit = (try? String(contentsOfFile: "/sys/fs/cgroup/memory/berth/\(id)/memory.limit_in_bytes", encoding: .utf8))
            ?? (try? String(contentsOfFile: "/sys/fs/cgroup/berth/\(id)/memory.max", encoding: .utf8)) ?? ""
        #expect(limit.trimmingCharacters(in: .whitespacesAndNewlines) == "67108864")
        _ = d.docker(["rm", "-f", id])
        #expect(d.docker(["run", "--rm", "--cap-drop", "ALL", "busybox", "grep", "CapEff", "/proc/self/status"]).out.hasSuffix("0000000000000000"))
        #expect(d.docker(["run", "--rm", "busybox", "grep", "CapEff", "/proc/self/status"]).out.hasSuffix("00000000a80425fb"))
        #expect(d.docker(["run", "--rm", "-u", "1000:1000", "busybox", "id"]).out == "uid=1000(app) gid=1000(app) groups=1000(app)")
        #expect(d.docker(["run", "--rm", "busybox", "sh", "-c", "grep Seccomp: /proc/self/status"]).out.hasSuffix("2"))
        #expect(d.docker(["run", "--rm", "busybox", "unshare", "-m", "true"]).status != 0)
    }

    @Test func restartPolicyAndAutoRemove() throws {
        _ = d.docker(["run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1"])
        var count = ""
        for _ in 0..<50 {
            count = d.docker(["inspect", "-f", "{{.RestartCount}} {{.State.Status}}", "flaky"]).out
            if count == "2 exited" { break }
            usleep(100_000)
        }
        #expect(count == "2 exited")
        _ = d.docker(["rm", "-f", "flaky"])
        _ = d.docker(["run", "--rm", "--name", "gone", "busybox", "true"])
        #expect(d.docker(["inspect", "gone"]).status != 0)
    }

    @Test func copyExportCommit() throws {
        _ = d.docker(["run", "-d", "--name", "files", "busybox", "sleep", "600"])
        let local = d.directory + "/cp-in.txt"
        try "copied in\n".write(toFile: local, atomically: true, encoding: .utf8)
        #expect(d.docker(["cp", local, "files:/tmp/"]).status == 0)
        #expect(d.docker(["exec", "files", "cat", "/tmp/cp-in.txt"]).out == "copied in")
        let out = d.directory + "/cp-out"
        try? FileManager.default.removeItem(atPath: out)
        #expect(d.docker(["cp", "files:/etc/passwd", out]).status == 0)
        #expect((try String(contentsOfFile: out, encoding: .utf8)).hasPrefix("root:x:0:0"))
        #expect(d.sh("docker export files | tar -t | grep -c 'bin/busybox'").out == "1")
        #expect(d.docker(["commit", "-c", "CMD [\"cat\", \"/tmp/cp-in.txt\"]", "files", "e2e-committed:1"]).status == 0)
        #expect(d.docker(["run", "--rm", "e2e-committed:1"]).out == "copied in")
        _ = d.docker(["rm", "-f", "files"])
        _ = d.docker(["rmi", "e2e-committed:1"])
    }

    @Test func imagesTagHistorySaveLoad() {
        #expect(d.docker(["tag", "busybox", "e2e/box:v1"]).status == 0)
        #expect(d.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.contains("e2e/box:v1"))
        #expect(d.docker(["history", "-q", "e2e/box:v1"]).status == 0)
        let tar = d.directory + "/box.tar"
        #expect(d.docker(["save", "-o", tar, "e2e/box:v1"]).status == 0)
        #expect(d.docker(["rmi", "e2e/box:v1"]).out.contains("Untagged: e2e/box:v1"))
        let load = d.docker(["load", "-i", tar])
        #expect(load.stdout.contains("Loaded image: e2e/box:v1"), "\(load)")
        #expect(d.docker(["image", "inspect", "-f", "{{.Os}}", "e2e/box:v1"]).out == "linux")
        _ = d.docker(["rmi", "e2e/box:v1"])
    }

    @Test func eventsCoverTheLifecycle() {
        let since = String(Int(Date().timeIntervalSince1970) - 1)
        _ = d.docker(["run", "--rm", "--name", "evented", "busybox", "true"])
        let until = String(Int(Date().timeIntervalSince1970) + 1)
        let events = d.docker(["events", "--since", since, "--until", until, "--filter", "container=evented",
                               "--format", "{{.Action}}"])
        let actions = events.stdout.split(separator: "\n").map(String.init)
        for action in ["create", "start", "die", "destroy"] { #expect(actions.contains(action), "\(events)") }
    }

    @Test func badRequestsGetJSONErrorsAndTheDaemonKeepsServing() {
        let invalid = d.sh("curl -s -w ' %{http_code}' --unix-socket \(d.socket) -H 'Content-Type: application/json' -d '{not json' http://x/v1.47/containers/create")
        #expect(invalid.out.hasSuffix(" 400") && invalid.out.contains("\"message\""), "\(invalid)")
        let wrongType = d.sh("curl -s -w ' %{http_code}' --unix-socket \(d.socket) -H 'Content-Type: application/json' -d '{\"Image\":\"busybox\",\"Tty\":\"yes\"}' http://x/v1.47/containers/create")
        #expect(wrongType.out.hasSuffix(" 400") && wrongType.out.contains("Tty"), "\(wrongType)")
        let missing = d.sh("curl -s -w ' %{http_code}' --unix-socket \(d.socket) http://x/v1.47/containers/nope/json")
        #expect(missing.out.hasPrefix("{\"message\":\"No such container: nope\"}") && missing.out.hasSuffix(" 404"), "\(missing)")
        #expect(d.sh("curl -s --unix-socket \(d.socket) http://x/_ping").out == "OK")
    }

    @Test func liveRestoreAfterTheDaemonIsKilled() throws {
        let id = d.docker(["run", "-d", "--name", "survivor", "busybox", "sh", "-c",
                           "trap 'exit 0' TERM; i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done"]).out
        usleep(300_000)
        try d.crashAndRestart()
        usleep(600_000)
        #expect(d.docker(["inspect", "-f", "{{.State.Running}} {{.State.Pid}}", id]).out.hasPrefix("true "))
        let logs = d.docker(["logs", "survivor"]).stdout.split(separator: "\n")
        #expect(logs.count >= 4, "logs kept flowing while berthd was down: \(logs)")
        #expect(d.docker(["stop", "survivor"]).status == 0)
        #expect(d.docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", id]).out == "exited 0")
        _ = d.docker(["rm", id])
    }

    @Test func killingAShimMarksTheContainerExited() throws {
        let id = d.docker(["run", "-d", "busybox", "sleep", "600"]).out
        let pidFile = d.execRoot + "/shims/\(id.prefix(16))/shim.pid"
        let shim = try #require(pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(shim, SIGKILL)
        var status = ""
        for _ in 0..<50 {
            status = d.docker(["inspect", "-f", "{{.State.Status}}", id]).out
            if status == "exited" { break }
            usleep(100_000)
        }
        #expect(status == "exited")
        #expect(d.docker(["ps", "-q"]).status == 0)
        #expect(d.docker(["rm", id]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/berth/\(id)"))
    }

    @Test func theBerthCLIShowsWhatDockerShows() {
        _ = d.docker(["run", "-d", "--name", "twins", "busybox", "sleep", "600"])
        let format = "{{.Names}} {{.Image}} {{.Command}} {{.State}}"
        #expect(d.berth(["ps", "--format", format]).out == d.docker(["ps", "--format", format]).out)
        #expect(d.berth(["images", "--format", "{{.Repository}} {{.Tag}} {{.ID}}"]).out
                == d.docker(["images", "--format", "{{.Repository}} {{.Tag}} {{.ID}}"]).out)
        #expect(d.berth(["exec", "twins", "echo", "from-berth"]).out == "from-berth")
        #expect(d.berth(["run", "--rm", "busybox", "sh", "-c", "exit 9"]).status == 9)
        _ = d.docker(["rm", "-f", "twins"])
    }

    @Test func dockerPySDK() throws {
        let check = Shell.run(["python3", "-c", "import docker"])
        try #require(check.status == 0, "docker-py is not installed (scripts/setup installs it)")
        let script = BerthdFixture.repositoryRoot + "/Tests/EngineE2ETests/python/docker_py_checks.py"
        let result = Shell.run(["python3", script, "unix://" + d.socket], timeout: 120)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("docker-py: all checks passed"), "\(result)")
    }
}

extension DockerCLICompatTests {
    @Test func aNewVolumeGetsTheImagesContent() {
        let named = d.docker(["run", "--rm", "-v", "etcvol:/etc", "busybox", "cat", "/etc/group"])
        #expect(named.stdout.hasPrefix("root:x:0:"), "\(named)")
        let anonymous = d.docker(["run", "--rm", "-v", "/etc", "busybox", "ls", "/etc/passwd"])
        #expect(anonymous.out == "/etc/passwd", "\(anonymous)")
        _ = d.docker(["volume", "rm", "etcvol"])
    }
}

extension DockerCLICompatTests {
    @Test func interactiveTerminalInputAndDetachKeys() {
        let shell = d.sh("printf 'echo from-tty\\nexit 5\\n' | script -qec 'docker run -it --rm busybox sh' /dev/null", timeout: 30)
        #expect(shell.stdout.contains("from-tty"), "\(shell)")
        #expect(shell.status == 5, "\(shell)")
        _ = d.docker(["run", "-dit", "--name", "attachable", "busybox", "sh"])
        let detach = d.sh("(sleep 0.5; printf '\\020\\021') | script -qec 'docker attach attachable' /dev/null", timeout: 30)
        #expect(detach.stdout.contains("read escape sequence"), "\(detach)")
        #expect(d.docker(["inspect", "-f", "{{.State.Running}}", "attachable"]).out == "true")
        _ = d.docker(["rm", "-f", "attachable"])
    }
}
