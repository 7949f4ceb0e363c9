import ArgumentParser
import Glibc
import Runtime

/// The commands on a container's start and stop path (create, start, run, delete, kill, state):
/// parsed here without ArgumentParser, and run here whichever parser read them.
///
/// ArgumentParser builds its parser from the command types by reflection, which costs
/// ~1.5 ms of CPU per invocation (a tenth of a `run`). Hand-parsed here because these
/// few commands have only plain flags; anything else (help, `--`, an unknown or malformed
/// flag, a missing ID) returns nil and goes through ArgumentParser, which also words the
/// errors. Both paths end in the same `perform` calls on `OCIRuntime`.
struct FastCommand {
    enum Action {
        case create(CreateOptions)
        case run(CreateOptions, detach: Bool)
        case start, delete(force: Bool), state
        case kill(signal: String, all: Bool)
    }

    var globals = GlobalOptions()
    var action: Action
    var id: String

    /// `args` as `Globals.reorder` leaves them: the command name, then its flags and arguments.
    init?(_ args: [String]) {
        guard let name = args.first else { return nil }
        var create = CreateOptions(bundle: ".")
        var detach = false, force = false, all = false
        var positionals: [String] = []
        var allowed: Set<String> = ["--root", "--log", "--log-format", "--debug", "--systemd-cgroup"]
        switch name {
        case "create", "run":
            allowed.formUnion(["--bundle", "-b", "--pid-file", "--console-socket", "--preserve-fds", "--no-pivot", "--no-new-keyring"])
            if name == "run" { allowed.formUnion(["--detach", "-d", "--keep"]) }
        case "delete": allowed.formUnion(["--force", "-f"])
        case "kill": allowed.formUnion(["--all", "-a"])
        case "start", "state": break
        default: return nil
        }
        let valued: Set<String> = ["--root", "--log", "--log-format", "--bundle", "-b", "--pid-file", "--console-socket", "--preserve-fds"]
        var rest = args.dropFirst()
        while let arg = rest.popFirst() {
            guard arg.hasPrefix("-"), arg != "-" else { positionals.append(arg); continue }
            let parts = arg.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let flag = parts[0]
            guard allowed.contains(flag) else { return nil }
            var value = ""
            if valued.contains(flag) {
                guard let v = parts.count == 2 ? parts[1] : rest.popFirst() else { return nil }
                value = v
            } else if parts.count == 2 {
                return nil
            }
            switch flag {
            case "--root": globals.root = value
            case "--log": globals.log = value
            case "--log-format": globals.logFormat = value
            case "--systemd-cgroup": globals.systemdCgroup = true
            case "--bundle", "-b": create.bundle = value
            case "--pid-file": create.pidFile = value
            case "--console-socket": create.consoleSocket = value
            case "--preserve-fds":
                guard let n = Int32(value) else { return nil }
                create.preserveFDs = n
            case "--no-pivot": create.noPivot = true
            case "--detach", "-d": detach = true
            case "--force", "-f": force = true
            case "--all", "-a": all = true
            default: break  // --debug, --no-new-keyring, --keep: accepted, no effect
            }
        }
        switch (name, positionals.count) {
        case ("create", 1): action = .create(create)
        case ("run", 1): action = .run(create, detach: detach)
        case ("start", 1): action = .start
        case ("delete", 1): action = .delete(force: force)
        case ("state", 1): action = .state
        case ("kill", 1), ("kill", 2): action = .kill(signal: positionals.count == 2 ? positionals[1] : "TERM", all: all)
        default: return nil
        }
        id = positionals[0]
    }

    init(globals: GlobalOptions, action: Action, id: String) {
        self.globals = globals; self.action = action; self.id = id
    }

    /// Does the command: what both this parser and ArgumentParser's commands end in. Errors
    /// are logged and become `ExitCode(1)`, as runc's; `run` throws the container's status.
    func run() throws {
        let runtime = try perform { try globals.runtime() }
        switch action {
        case .create(var options):
            options.goFD = Self.goDescriptor()
            try perform { try runtime.create(id: id, options: options) }
        case .run(let options, let detach):
            let code = try perform { try runtime.run(id: id, options: options, detach: detach) }
            if code != 0 { throw ExitCode(code) }
        case .start: try perform { try runtime.start(id) }
        case .delete(let force): try perform { try runtime.delete(id, force: force) }
        case .state: try printJSON(try perform { try runtime.state(id) })
        case .kill(let signal, let all):
            guard let number = Signals.parse(signal) else { throw fail(RuntimeError.message("unknown signal \"\(signal)\"")) }
            try perform { try runtime.kill(id, signal: number, all: all) }
        }
    }

    /// The go pipe berth-shim may hand `create` (`BERTH_RUNTIME_GO_FD`), made close-on-exec
    /// so the container never inherits it.
    static func goDescriptor() -> Int32? {
        guard let text = getenv("BERTH_RUNTIME_GO_FD"), let fd = Int32(String(cString: text)), fd > 2,
              fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { return nil }
        return fd
    }

    /// Runs the command and exits with its status.
    func execute() -> Never {
        do {
            try run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            exit(fail(error).rawValue)
        }
    }
}
