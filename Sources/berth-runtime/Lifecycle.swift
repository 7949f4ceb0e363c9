import ArgumentParser
import Glibc
import Runtime

/// The flags `create` and `run` share.
struct CreateFlags: ParsableArguments {
    @Option(name: [.short, .long], help: "Bundle directory.") var bundle = "."
    @Option(name: .customLong("pid-file"), help: "Write the container pid here.") var pidFile: String?
    @Option(name: .customLong("console-socket"), help: "Unix socket that receives the pty master.") var consoleSocket: String?
    @Option(name: .customLong("preserve-fds"), help: "Pass this many extra fds (from 3).") var preserveFDs: Int32 = 0
    @Flag(name: .customLong("no-pivot"), help: "Use chroot instead of pivot_root.") var noPivot = false
    @Flag(name: .customLong("no-new-keyring"), help: "Accepted for runc compatibility.") var noNewKeyring = false

    var options: CreateOptions {
        var options = CreateOptions(bundle: bundle)
        options.pidFile = pidFile
        options.consoleSocket = consoleSocket
        options.preserveFDs = preserveFDs
        options.noPivot = noPivot
        return options
    }
}

struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a container (its process waits for start).")
    @OptionGroup var globals: Globals
    @OptionGroup var flags: CreateFlags
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        try FastCommand(globals: globals.values, action: .create(flags.options), id: id).run()
    }
}

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a created container.")
    @OptionGroup var globals: Globals
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        try FastCommand(globals: globals.values, action: .start, id: id).run()
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create and start a container, wait for it, delete it.")
    @OptionGroup var globals: Globals
    @OptionGroup var flags: CreateFlags
    @Flag(name: [.short, .long], help: "Detach once the process runs.") var detach = false
    @Flag(help: "Accepted for runc compatibility (the state goes when the container exits).") var keep = false
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        try FastCommand(globals: globals.values, action: .run(flags.options, detach: detach), id: id).run()
    }
}

struct Kill: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a signal to a container's process.")
    @OptionGroup var globals: Globals
    @Flag(name: [.short, .long], help: "Signal every process in the container.") var all = false
    @Argument(help: "Container ID.") var id: String
    @Argument(help: "Signal name or number (default TERM).") var signal = "TERM"

    func run() throws {
        try FastCommand(globals: globals.values, action: .kill(signal: signal, all: all), id: id).run()
    }
}

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a stopped container (or any, with --force).")
    @OptionGroup var globals: Globals
    @Flag(name: [.short, .long], help: "Kill the container first if it runs.") var force = false
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        try FastCommand(globals: globals.values, action: .delete(force: force), id: id).run()
    }
}

struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Freeze every process of a container.")
    @OptionGroup var globals: Globals
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        let runtime = try perform { try globals.runtime() }
        try perform { try runtime.pause(id) }
    }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Thaw a paused container.")
    @OptionGroup var globals: Globals
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        let runtime = try perform { try globals.runtime() }
        try perform { try runtime.resume(id) }
    }
}
