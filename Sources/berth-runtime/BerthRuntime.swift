import ArgumentParser
import Glibc
import OCI
import Runtime

/// berth-runtime: an OCI runtime with runc's command surface.
@main
struct BerthRuntime: ParsableCommand {
    /// runc takes its global flags before the command name (`runc --root X run id`);
    /// ArgumentParser wants them after it, so they are moved there first.
    static func main() {
        Log.trace("main")
        let args = Globals.reorder(Array(CommandLine.arguments.dropFirst()))
        // The commands a container start runs (create/start/run/delete/kill/state) with plain
        // flags skip ArgumentParser: its reflection costs ~1.5 ms per invocation.
        if let fast = FastCommand(args) { fast.execute() }
        // Parsing as the root walks every subcommand by reflection too, so the command named
        // first is parsed on its own.
        if let name = args.first, let command = commands[name], !args.contains("--help"), !args.contains("-h") {
            command.main(Array(args.dropFirst()))
            return
        }
        main(args)
    }

    /// The subcommands by name, for the direct dispatch above.
    static let commands: [String: ParsableCommand.Type] = [
        "spec": SpecCommand.self, "create": Create.self, "start": Start.self, "state": State.self,
        "kill": Kill.self, "delete": Delete.self, "run": Run.self, "exec": Exec.self, "list": List.self,
        "ps": Ps.self, "pause": Pause.self, "resume": Resume.self,
    ]

    static let configuration = CommandConfiguration(
        commandName: "berth-runtime",
        abstract: "Run containers from OCI bundles (a drop-in for runc).",
        version: "berth-runtime 0.1.0\nspec: \(Spec.version)",
        subcommands: [SpecCommand.self, Create.self, Start.self, State.self, Kill.self, Delete.self, Run.self,
                      Exec.self, List.self, Ps.self, Pause.self, Resume.self]
        // Keep `commands` below in step with this list.
    )
}

/// runc's global flags, accepted before or after the command name.
struct Globals: ParsableArguments {
    @Option(help: "Root directory for container state.") var root = "/run/berth-runtime"
    @Option(help: "Log file (default: stderr).") var log: String?
    @Option(name: .customLong("log-format"), help: "Log format: text or json.") var logFormat = "text"
    @Flag(help: "Debug logging (accepted for runc compatibility).") var debug = false
    @Flag(name: .customLong("systemd-cgroup"), help: "Use systemd for cgroups (not supported).") var systemdCgroup = false

    static let valued: Set<String> = ["--root", "--log", "--log-format", "--rootless", "--criu"]
    /// runc global flags Berth accepts and ignores (rootless mode is decided by the config).
    static let ignored: Set<String> = ["--rootless", "--criu"]
    static let flags: Set<String> = ["--debug", "--systemd-cgroup"]

    /// Moves global flags that precede the command name to just after it.
    static func reorder(_ args: [String]) -> [String] {
        var globals: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            let name = arg.split(separator: "=", maxSplits: 1).first.map(String.init) ?? arg
            if valued.contains(name) {
                globals.append(arg)
                if !arg.contains("="), i + 1 < args.count { globals.append(args[i + 1]); i += 1 }
            } else if flags.contains(arg) {
                globals.append(arg)
            } else {
                break
            }
            i += 1
        }
        guard i < args.count else { return args }
        var kept: [String] = []
        var j = 0
        while j < globals.count {
            let name = globals[j].split(separator: "=", maxSplits: 1).first.map(String.init) ?? globals[j]
            let takesNext = valued.contains(globals[j])
            if !ignored.contains(name) {
                kept.append(globals[j])
                if takesNext, j + 1 < globals.count { kept.append(globals[j + 1]) }
            }
            j += takesNext ? 2 : 1
        }
        return [args[i]] + kept + args[(i + 1)...]
    }

    /// The flags' values.
    var values: GlobalOptions { GlobalOptions(root: root, log: log, logFormat: logFormat, systemdCgroup: systemdCgroup) }

    /// The runtime for these flags, after configuring the log.
    func runtime() throws -> OCIRuntime { try values.runtime() }
}

/// The global flags' values, however they were parsed.
struct GlobalOptions {
    var root = "/run/berth-runtime"
    var log: String?
    var logFormat = "text"
    var systemdCgroup = false

    /// The runtime for these flags, after configuring the log.
    func runtime() throws -> OCIRuntime {
        Log.configure(path: log, format: logFormat)
        if systemdCgroup { throw fail(RuntimeError.message("--systemd-cgroup is not supported: Berth drives cgroupfs directly")) }
        return OCIRuntime(root: root)
    }
}

/// Logs a runtime error and turns it into exit status 1, as runc does.
func fail(_ error: Error) -> ExitCode {
    let message = (error as? RuntimeError)?.description ?? "\(error)"
    Log.error(message)
    if Log.logsElsewhere { FileDescriptor.stderr.write("berth-runtime: \(message)\n") }
    return ExitCode(1)
}

/// Runs `body`, mapping runtime errors to exit status 1.
func perform<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExitCode { throw error } catch { throw fail(error) }
}

/// Minimal unbuffered writes to stdout/stderr.
enum FileDescriptor {
    case stdout, stderr
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        let fd: Int32 = self == .stdout ? 1 : 2
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n <= 0 { break }
            off += n
        }
    }
}
