import ArgumentParser
import Client
import RunFlags
import DockerAPI
import Foundation

/// `berth run`: create, attach, start, wait — docker's flow and exit codes.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create and run a new container from an image",
        usage: "berth run [OPTIONS] IMAGE [COMMAND] [ARG...]", helpNames: [.long])

    @Flag(name: .shortAndLong, help: "Run container in background and print container ID") var detach = false
    @OptionGroup var flags: ContainerFlags

    func run() throws {
        try Self.run(flags.checkedArguments(detach: detach, command: RunCommand.self))
    }

    /// The run itself, however its command line was read.
    static func run(_ arguments: FastRunArguments) throws {
        let options = arguments.options
        let detach = options.detach
        let client = try connectClient()
        if options.tty && options.interactive && !RawTerminal.isTerminal(0) {
            throw CLIExit(1, "the input device is not a TTY")
        }
        let detachKeys = try arguments.detachKeys.map { key -> [UInt8] in
            do { return try parseDetachKeys(key) } catch let error as FlagError { throw CLIExit(125, "berth: \(error)") }
        } ?? [16, 17]
        let id = try runStep { try createContainer(client, options, quiet: arguments.quiet, pullPolicy: arguments.pull) }

        if detach {
            try runStep { try client.startContainer(id) }
            out(id)
            return
        }

        let streams = options.attachStreams
        let terminal = RawTerminal(fd: 0)
        var session: AttachSession? = nil
        if streams.stdin || streams.stdout || streams.stderr {
            let stream = try runStep {
                try client.attach(id, stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr,
                                  detachKeys: arguments.detachKeys)
            }
            session = AttachSession(stream: stream, tty: options.tty, sendStdin: streams.stdin, detachKeys: detachKeys)
        }
        let wait = try runStep { try client.beginWait(id, condition: options.autoRemove ? "removed" : "next-exit") }
        do {
            try client.startContainer(id)
        } catch let error as ClientError {
            throw CLIExit(startFailureCode(error), "berth: \(error)\n\nRun 'berth run --help' for more information")
        }
        var monitor: WindowResizeMonitor?
        if options.tty, RawTerminal.isTerminal(1) {
            monitor = WindowResizeMonitor(fd: 1) { rows, cols in try? client.resizeContainer(id, height: rows, width: cols) }
        }
        if options.tty && streams.stdin && RawTerminal.isTerminal(0) { terminal.makeRaw() }
        defer { terminal.restore(); monitor?.cancel() }
        if let session {
            let outcome = try session.run()
            if outcome == .detached { terminal.restore(); return }
        }
        let result = try client.waitResult(wait)
        if let message = result.error?.message, !message.isEmpty { err("berth: \(message)") }
        terminal.restore()
        if result.statusCode != 0 { throw CLIExit(Int32(truncatingIfNeeded: result.statusCode)) }
    }
}

/// `berth create`: the create half of run; prints the new ID.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a new container",
        usage: "berth create [OPTIONS] IMAGE [COMMAND] [ARG...]", helpNames: [.long])

    @OptionGroup var flags: ContainerFlags

    func run() throws {
        // docker's create is not detached: the config attaches stdout/stderr (and stdin with -i).
        try Self.run(flags.checkedArguments(detach: false, command: CreateCommand.self))
    }

    /// The create itself, however its command line was read.
    static func run(_ arguments: FastRunArguments) throws {
        let client = try connectClient()
        let id = try runStep { try createContainer(client, arguments.options, quiet: arguments.quiet, pullPolicy: arguments.pull) }
        out(id)
    }
}

/// Runs a step of run/create: daemon errors exit 125 with docker's wording.
func runStep<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ClientError {
        if case .cannotConnect = error { throw error }
        throw CLIExit(125, "berth: \(error)\n\nRun 'berth run --help' for more information")
    }
}

/// 127 when the command was not found, 126 when it could not be invoked, else 125.
func startFailureCode(_ error: ClientError) -> Int32 {
    let text = error.description
    if text.contains("executable file not found") || text.contains("no such file or directory") { return 127 }
    if text.contains("permission denied") || text.contains("cannot be invoked") { return 126 }
    return 125
}

/// `name` with `:latest` when it has neither tag nor digest (docker's `TagNameOnly`).
func withDefaultTag(_ image: String) -> String {
    let parts = Display.splitReference(image)
    return parts.tag == nil && parts.digest == nil ? image + ":latest" : image
}

/// Creates the container; if the image is missing, pulls it (progress on stderr) and retries.
func createContainer(_ client: BerthClient, _ options: RunOptions, quiet: Bool, pullPolicy: String) throws -> String {
    let size = RawTerminal.size(of: 1)
    let body = try options.makeCreateRequest(consoleSize: size)
    if pullPolicy == "always" { try pull(client, options.image, platform: options.platform, quiet: quiet) }
    do {
        let response = try client.createContainer(body, name: options.name, platform: options.platform)
        for warning in response.warnings ?? [] where !warning.isEmpty { err("WARNING: \(warning)") }
        return response.id
    } catch let error as ClientError where error.isNotFound && pullPolicy != "never" && isMissingImage(error) {
        err("Unable to find image '\(withDefaultTag(options.image))' locally")
        try pull(client, options.image, platform: options.platform, quiet: quiet)
        let response = try client.createContainer(body, name: options.name, platform: options.platform)
        for warning in response.warnings ?? [] where !warning.isEmpty { err("WARNING: \(warning)") }
        return response.id
    }
}

func isMissingImage(_ error: ClientError) -> Bool {
    guard case .daemon(_, let message) = error else { return false }
    return message.lowercased().contains("no such image") || message.lowercased().contains("not found")
}

/// `POST /images/create?fromImage=` with the JSON-message progress on stderr.
func pull(_ client: BerthClient, _ image: String, platform: String?, quiet: Bool) throws {
    try pullImage(image, platform: platform, quiet: quiet, sink: .stderr, printName: false)
}
