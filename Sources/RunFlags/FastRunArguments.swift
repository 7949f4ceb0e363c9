import Client

/// `berth run` and `berth create` read without ArgumentParser, whose reflection over
/// ContainerFlags' ~50 flags costs over a millisecond of every `berth run`. Only plain command
/// lines are read here; anything else (`--help`, an unknown flag, `--flag=value` on a switch,
/// `--`, a number that does not parse, no image) returns nil and ContainerFlags parses it,
/// wording the error. ContainerFlags stays the definition: its help
/// is docker's, and a test checks that both read the same command lines the same way and know
/// the same flags.
public struct FastRunArguments: Equatable {
    public var options = RunOptions()
    public var detachKeys: String?
    public var pull = "missing"
    public var quiet = false

    /// The switches (no value), by every name.
    public static let switches: [String] = [
        "-i", "--interactive", "-t", "--tty", "--read-only", "--privileged", "--init", "--rm",
        "-P", "--publish-all", "-q", "--quiet",
    ]
    /// The flags that take a value, by every name.
    public static let valued: [String] = [
        "-e", "--env", "--env-file", "-w", "--workdir", "-u", "--user", "--entrypoint", "-h", "--hostname",
        "--name", "-l", "--label", "--label-file", "-v", "--volume", "--mount", "--tmpfs", "-m", "--memory",
        "--memory-swap", "--cpus", "-c", "--cpu-shares", "--cpuset-cpus", "--pids-limit", "--ulimit",
        "--cap-add", "--cap-drop", "--security-opt", "--stop-signal", "--stop-timeout", "--restart",
        "--group-add", "-p", "--publish", "--expose", "--network", "--net", "--network-alias", "--net-alias",
        "--ip", "--add-host", "--dns", "-a", "--attach", "--detach-keys", "--platform", "--pull",
    ]

    public init() {}

    /// `args` after the command's name; `detachable`: `run` (which has `-d`), not `create`.
    public init?(_ args: [String], detachable: Bool) {
        var i = 0
        while i < args.count {
            let arg = args[i]
            guard arg.hasPrefix("-"), arg != "-" else { break }   // the image: flags end here
            if arg == "--" || arg.hasPrefix("---") { return nil }
            var name = arg
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if Self.setSwitch(name, &self, detachable: detachable) {
                if inline != nil { return nil }
            } else if !arg.hasPrefix("--"), arg.count > 2,
                      arg.dropFirst().allSatisfy({ Self.setSwitch("-" + String($0), &self, detachable: detachable) }) {
                // -it, -dit: switches run together
            } else {
                let value: String
                if let inline { value = inline } else {
                    i += 1
                    guard i < args.count else { return nil }   // the next argument, whatever it looks like (pflag's way)
                    value = args[i]
                }
                guard Self.setValue(name, value, &self) else { return nil }
            }
            i += 1
        }
        guard i < args.count else { return nil }
        options.image = args[i]
        options.command = Array(args[(i + 1)...])
    }

    private static func setSwitch(_ name: String, _ a: inout FastRunArguments, detachable: Bool) -> Bool {
        switch name {
        case "-d", "--detach": guard detachable else { return false }; a.options.detach = true
        case "-i", "--interactive": a.options.interactive = true
        case "-t", "--tty": a.options.tty = true
        case "--read-only": a.options.readOnly = true
        case "--privileged": a.options.privileged = true
        case "--init": a.options.initProcess = true
        case "--rm": a.options.autoRemove = true
        case "-P", "--publish-all": a.options.publishAll = true
        case "-q", "--quiet": a.quiet = true
        default: return false
        }
        return true
    }

    private static func setValue(_ name: String, _ v: String, _ a: inout FastRunArguments) -> Bool {
        switch name {
        case "-e", "--env": a.options.env.append(v)
        case "--env-file": a.options.envFiles.append(v)
        case "-w", "--workdir": a.options.workdir = v
        case "-u", "--user": a.options.user = v
        case "--entrypoint": a.options.entrypoint = v
        case "-h", "--hostname": a.options.hostname = v
        case "--name": a.options.name = v
        case "-l", "--label": a.options.labels.append(v)
        case "--label-file": a.options.labelFiles.append(v)
        case "-v", "--volume": a.options.volumes.append(v)
        case "--mount": a.options.mounts.append(v)
        case "--tmpfs": a.options.tmpfs.append(v)
        case "-m", "--memory": a.options.memory = v
        case "--memory-swap": a.options.memorySwap = v
        case "--cpus": a.options.cpus = v
        case "-c", "--cpu-shares": guard let n = Int64(v) else { return false }; a.options.cpuShares = n
        case "--cpuset-cpus": a.options.cpusetCpus = v
        case "--pids-limit": guard let n = Int64(v) else { return false }; a.options.pidsLimit = n
        case "--ulimit": a.options.ulimits.append(v)
        case "--cap-add": a.options.capAdd.append(v)
        case "--cap-drop": a.options.capDrop.append(v)
        case "--security-opt": a.options.securityOpt.append(v)
        case "--stop-signal": a.options.stopSignal = v
        case "--stop-timeout": guard let n = Int(v) else { return false }; a.options.stopTimeout = n
        case "--restart": a.options.restart = v
        case "--group-add": a.options.groupAdd.append(v)
        case "-p", "--publish": a.options.publish.append(v)
        case "--expose": a.options.expose.append(v)
        case "--network", "--net": a.options.network = v
        case "--network-alias", "--net-alias": a.options.networkAliases.append(v)
        case "--ip": a.options.ip = v
        case "--add-host": a.options.addHost.append(v)
        case "--dns": a.options.dns.append(v)
        case "-a", "--attach": a.options.attach.append(v)
        case "--detach-keys": a.detachKeys = v
        case "--platform": a.options.platform = v
        case "--pull": a.pull = v
        default: return false
        }
        return true
    }
}
