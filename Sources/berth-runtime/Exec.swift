import ArgumentParser
import Glibc
import Runtime

struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a new process inside a running container.")
    @OptionGroup var globals: Globals
    @Option(name: [.short, .long], help: "process.json to run.") var process: String?
    @Flag(name: [.short, .long], help: "Allocate a pty (needs --console-socket).") var tty = false
    @Option(help: "Working directory.") var cwd: String?
    @Option(name: [.short, .long], help: "Environment variable KEY=VALUE (repeatable).") var env: [String] = []
    @Option(name: [.short, .long], help: "uid[:gid]") var user: String?
    @Option(name: [.customShort("g"), .customLong("additional-gids")], help: "Additional gid (repeatable).") var additionalGids: [UInt32] = []
    @Option(name: [.short, .customLong("cap")], help: "Add a capability (repeatable).") var caps: [String] = []
    @Flag(name: .customLong("no-new-privs"), help: "Set no_new_privs.") var noNewPrivs = false
    @Option(name: .customLong("console-socket"), help: "Unix socket that receives the pty master.") var consoleSocket: String?
    @Option(name: .customLong("pid-file"), help: "Write the process pid here.") var pidFile: String?
    @Flag(name: [.short, .long], help: "Detach once the process runs.") var detach = false
    @Option(name: .customLong("preserve-fds"), help: "Pass this many extra fds (from 3).") var preserveFDs: Int32 = 0
    @Argument(help: "Container ID.") var id: String
    @Argument(parsing: .captureForPassthrough, help: "Command and arguments.") var command: [String] = []

    func run() throws {
        let runtime = try perform { try globals.runtime() }
        var options = ExecOptions()
        options.processFile = process
        options.args = command.first == "--" ? Array(command.dropFirst()) : command
        options.env = env
        options.cwd = cwd
        options.user = user
        options.additionalGids = additionalGids
        options.tty = tty
        options.capabilities = caps
        options.noNewPrivileges = noNewPrivs
        options.consoleSocket = consoleSocket
        options.pidFile = pidFile
        options.detach = detach
        options.preserveFDs = preserveFDs
        let code = try perform { try runtime.exec(id, options: options) }
        if code != 0 { throw ExitCode(code) }
    }
}
