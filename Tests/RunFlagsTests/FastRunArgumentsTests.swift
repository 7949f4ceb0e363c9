import ArgumentParser
import Client
import RunFlags
import Testing

/// ContainerFlags (ArgumentParser) is the definition of `run`'s and `create`'s flags;
/// FastRunArguments reads plain command lines without reflection. They must agree.
@Suite struct FastRunArgumentsTests {
    /// RunCommand's declaration: `-d` beside ContainerFlags, `-h` left to `--hostname`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", helpNames: [.long])
        @Flag(name: .shortAndLong) var detach = false
        @OptionGroup var flags: ContainerFlags
    }

    /// What ArgumentParser makes of `args`, in FastRunArguments' shape.
    func viaArgumentParser(_ args: [String]) throws -> FastRunArguments {
        let run = try Run.parse(args)
        return run.flags.arguments(detach: run.detach)
    }

    static let commandLines: [[String]] = [
        ["busybox"],
        ["--rm", "--network", "none", "busybox", "true"],
        ["-it", "--name", "web", "-p", "8080:80", "-p", "127.0.0.1:53:53/udp", "nginx:1.25"],
        ["-d", "--rm", "-e", "A=1", "--env", "B", "--env-file", "/tmp/e", "-w", "/srv", "-u", "1000:1000", "img", "sh", "-c", "echo -n hi"],
        ["--entrypoint", "", "-h", "host", "-l", "a=b", "--label", "c", "--label-file", "/l", "img"],
        ["-v", "/a:/b:ro", "--volume", "named:/data", "--mount", "type=tmpfs,dst=/t", "--tmpfs", "/run:size=1m", "--read-only", "img"],
        ["-m", "64m", "--memory-swap=-1", "--cpus", "1.5", "-c", "512", "--cpu-shares=256", "--cpuset-cpus", "0-1", "--pids-limit", "100", "img"],
        ["--ulimit", "nofile=1024:2048", "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--privileged", "--security-opt", "no-new-privileges", "img"],
        ["--init", "--stop-signal", "SIGUSR1", "--stop-timeout", "3", "--restart", "on-failure:3", "--group-add", "audio", "img"],
        ["-P", "--publish-all", "--expose", "80", "--network=mynet", "--net-alias", "web", "--network-alias", "w2", "--ip", "10.1.0.5", "img"],
        ["--add-host", "h:1.2.3.4", "--dns", "8.8.8.8", "-a", "stdout", "--attach", "stderr", "--detach-keys", "ctrl-x", "img"],
        ["--platform", "linux/amd64", "--pull", "never", "-q", "--quiet", "-dit", "img", "--rm", "-x"],
        ["-ti", "img", "-"],
        ["--name", "a", "--name", "b", "img"],
        ["--memory-swap", "-1", "-e", "-x", "--entrypoint", "--rm", "img"],
    ]

    @Test(arguments: commandLines)
    func bothReadersAgree(_ args: [String]) throws {
        let fast = try #require(FastRunArguments(args, detachable: true), "the fast reader declined \(args)")
        #expect(fast == (try viaArgumentParser(args)))
    }

    /// What the fast reader leaves to ArgumentParser (which words the error or prints help).
    @Test(arguments: [
        ["--help"], [], ["--rm"], ["--bogus", "img"], ["--rm=true", "img"], ["--", "img"], ["-e"],
        ["--cpu-shares", "x", "img"], ["--stop-timeout", "1.5", "img"], ["-iz", "img"],
        ["-rm", "img"],
    ])
    func unusualCommandLinesAreLeftToArgumentParser(_ args: [String]) {
        #expect(FastRunArguments(args, detachable: true) == nil)
    }

    @Test func createHasNoDetach() {
        #expect(FastRunArguments(["-d", "img"], detachable: false) == nil)
        #expect(FastRunArguments(["-it", "img"], detachable: false)?.options.tty == true)
    }

    /// Every flag name in ContainerFlags' help is one the fast reader knows, and the other way round.
    @Test func bothKnowTheSameFlags() {
        let help = ContainerFlags.helpMessage(columns: 10_000)
        var declared = Set<String>()
        for word in help.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "(" || $0 == ")" }) {
            guard word.hasPrefix("-"), word.count > 1 else { continue }
            let name = String(word.prefix { $0 != "=" && $0 != "<" })
            // A flag's name, not a number in the help text ("set -1 for unlimited").
            guard let first = name.drop(while: { $0 == "-" }).first, first.isLetter else { continue }
            if name.hasPrefix("--") ? name.count > 2 : name.count == 2 { declared.insert(name) }
        }
        declared.remove("--help")
        let known = Set(FastRunArguments.switches + FastRunArguments.valued)
        #expect(declared.subtracting(known).isEmpty, "unknown to the fast reader: \(declared.subtracting(known).sorted())")
        #expect(known.subtracting(declared).isEmpty, "not in ContainerFlags: \(known.subtracting(declared).sorted())")
        for name in FastRunArguments.switches {
            #expect(FastRunArguments([name, "img"], detachable: true) != nil, "\(name)")
        }
        for name in FastRunArguments.valued {
            let value = ["-c", "--cpu-shares", "--pids-limit", "--stop-timeout"].contains(name) ? "1" : "v"
            #expect(FastRunArguments([name, value, "img"], detachable: true) != nil, "\(name)")
        }
    }
}
