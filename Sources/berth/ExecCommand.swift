import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth exec`: a new process in a running container; exits with its code.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a running container",
        usage: "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]")
    @Flag(name: .shortAndLong, help: "Detached mode: run command in the background") var detach = false
    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY") var tty = false
    @Option(name: .shortAndLong, help: "Set environment variables") var env: [String] = []
    @Option(name: .customLong("env-file"), help: "Read in a file of environment variables") var envFile: [String] = []
    @Option(name: .shortAndLong, help: "Username or UID (format: \"<name|uid>[:<group|gid>]\")") var user: String?
    @Option(name: .shortAndLong, help: "Working directory inside the container") var workdir: String?
    @Flag(help: "Give extended privileges to the command") var privileged = false
    @Option(name: .customLong("detach-keys"), help: "Override the key sequence for detaching a container") var detachKeys: String?
    @Argument(parsing: .captureForPassthrough, help: "CONTAINER COMMAND [ARG...]") var containerAndCommand: [String] = []

    func run() throws {
        if containerAndCommand.first == "--help" || containerAndCommand.first == "-h" { throw CleanExit.helpRequest(ExecCommand.self) }
        guard containerAndCommand.count >= 2 else { throw UsageError.atLeast(2, "berth exec") }
        if containerAndCommand[0].hasPrefix("-") { throw UsageError("unknown flag: \(containerAndCommand[0])") }
        let container = containerAndCommand[0]
        if tty && interactive && !RawTerminal.isTerminal(0) { throw CLIExit(1, "the input device is not a TTY") }
        var body = ExecCreateRequest(cmd: Array(containerAndCommand.dropFirst()))
        body.tty = tty
        body.attachStdin = interactive && !detach
        body.attachStdout = !detach
        body.attachStderr = !detach
        body.privileged = privileged
        body.user = user
        body.workingDir = workdir
        body.detachKeys = detachKeys
        var envList: [String] = []
        for file in envFile { envList += try FlagParsers.keyValueFile(file) }
        envList += try env.map { try FlagParsers.env($0) }
        if !envList.isEmpty { body.env = envList }
        let size = tty ? RawTerminal.size(of: 1) : nil
        if let size { body.consoleSize = [size.rows, size.cols] }

        let client = try connectClient()
        let exec = try client.createExec(container, body)
        if detach {
            try client.startExecDetached(exec.id, tty: tty)
            return
        }
        let stream = try client.startExecAttached(exec.id, tty: tty, consoleSize: size.map { [$0.rows, $0.cols] })
        let terminal = RawTerminal(fd: 0)
        var monitor: WindowResizeMonitor?
        if tty, RawTerminal.isTerminal(1) {
            let id = exec.id
            monitor = WindowResizeMonitor(fd: 1) { rows, cols in try? client.resizeExec(id, height: rows, width: cols) }
        }
        if tty && interactive && RawTerminal.isTerminal(0) { terminal.makeRaw() }
        defer { terminal.restore(); monitor?.cancel() }
        let keys = try detachKeys.map { try parseDetachKeys($0) } ?? [16, 17]
        if try AttachSession(stream: stream, tty: tty, sendStdin: interactive, detachKeys: keys).run() == .detached { return }
        terminal.restore()
        let state = try client.execState(exec.id)
        if let code = state.exitCode, code != 0 { throw CLIExit(Int32(truncatingIfNeeded: code)) }
    }
}
