/// The shim's command line, exactly as berthd passes it:
///
///     berth-shim --id ID --bundle DIR --runtime PATH --runtime-root DIR --dir DIR
///                [--log PATH] [--log-max-size BYTES] [--log-max-files N]
///                [--tty] [--stdin] [--exec PROCESS_JSON_FILE] [--wait-go]
struct Arguments {
    var id = ""
    var bundle = ""
    var runtime = ""
    var runtimeRoot = ""
    /// Holds shim.sock, shim.pid, exit, init.pid, runtime.log (and console.sock for a while).
    var dir = ""
    var logPath: String?
    /// Rotate before a line would make the log larger than this; 0 means never.
    var logMaxSize: Int64 = 0
    /// Files kept in all, the current one included (docker's max-file).
    var logMaxFiles = 1
    var tty = false
    var stdin = false
    /// A runtime-spec process JSON: run it in the running container at `start` (exec mode).
    var execProcess: String?
    /// Fd 4 is the go pipe: set up everything, then create the container only when a byte
    /// arrives on it (berthd spawns the shim while it still mounts the root and writes the
    /// bundle); end of file means "never mind": leave without creating anything.
    var waitGo = false

    /// What was wrong with the command line.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `args` (without the program name); accepts `--flag value` and `--flag=value`.
    static func parse(_ args: [String]) throws(UsageError) -> Arguments {
        var result = Arguments()
        var i = 0
        func value(_ name: String, _ inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            i += 1
            guard i < args.count else { throw UsageError(description: "\(name) needs a value") }
            return args[i]
        }
        while i < args.count {
            let arg = args[i]
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            switch name {
            case "--id": result.id = try value(name, inline)
            case "--bundle": result.bundle = try value(name, inline)
            case "--runtime": result.runtime = try value(name, inline)
            case "--runtime-root": result.runtimeRoot = try value(name, inline)
            case "--dir": result.dir = try value(name, inline)
            case "--log": result.logPath = try value(name, inline)
            case "--exec": result.execProcess = try value(name, inline)
            case "--log-max-size":
                let text = try value(name, inline)
                guard let n = Int64(text), n >= 0 else { throw UsageError(description: "--log-max-size: not a byte count: \(text)") }
                result.logMaxSize = n
            case "--log-max-files":
                let text = try value(name, inline)
                guard let n = Int(text), n >= 1 else { throw UsageError(description: "--log-max-files: not a count ≥ 1: \(text)") }
                result.logMaxFiles = n
            case "--tty": result.tty = true
            case "--stdin": result.stdin = true
            case "--wait-go": result.waitGo = true
            default: throw UsageError(description: "unknown argument: \(arg)")
            }
            i += 1
        }
        for (flag, v) in [("--id", result.id), ("--bundle", result.bundle), ("--runtime", result.runtime),
                          ("--runtime-root", result.runtimeRoot), ("--dir", result.dir)] where v.isEmpty {
            throw UsageError(description: "missing \(flag)")
        }
        if result.logPath?.isEmpty == true { result.logPath = nil }
        return result
    }

    /// The paths made absolute against `cwd` (the shim works from "/" once detached).
    func resolved(against cwd: String) -> Arguments {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : cwd + "/" + path }
        var copy = self
        copy.bundle = absolute(bundle)
        copy.runtime = absolute(runtime)
        copy.runtimeRoot = absolute(runtimeRoot)
        copy.dir = absolute(dir)
        copy.logPath = logPath.map(absolute)
        copy.execProcess = execProcess.map(absolute)
        return copy
    }
}
