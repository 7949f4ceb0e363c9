import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth start`: starts containers; `-a`/`-i` attach to one like docker.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start one or more stopped containers",
        usage: "berth start [OPTIONS] CONTAINER [CONTAINER...]")

    @Flag(name: .shortAndLong, help: "Attach STDOUT/STDERR and forward signals") var attach = false
    @Flag(name: .shortAndLong, help: "Attach container's STDIN") var interactive = false
    @Option(name: .customLong("detach-keys"), help: "Override the key sequence for detaching a container") var detachKeys: String?
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth start") }
        let client = try connectClient()
        guard attach || interactive else {
            try forEachTarget(containers) { try client.startContainer($0); out($0) }
            return
        }
        guard containers.count == 1 else { throw CLIExit(1, "you cannot start and attach multiple containers at once") }
        let brief = try client.containerBrief(containers[0])
        let stdin = interactive && brief.openStdin
        let stream = try client.attach(brief.id, stdin: stdin, detachKeys: detachKeys)
        let wait = try client.beginWait(brief.id, condition: "next-exit")
        try client.startContainer(brief.id)
        let terminal = RawTerminal(fd: 0)
        if brief.tty && stdin && RawTerminal.isTerminal(0) { terminal.makeRaw() }
        defer { terminal.restore() }
        let keys = try detachKeys.map { try parseDetachKeys($0) } ?? [16, 17]
        if try AttachSession(stream: stream, tty: brief.tty, sendStdin: stdin, detachKeys: keys).run() == .detached { return }
        let result = try client.waitResult(wait)
        terminal.restore()
        if result.statusCode != 0 { throw CLIExit(Int32(truncatingIfNeeded: result.statusCode)) }
    }
}

/// `berth stop`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop one or more running containers",
        usage: "berth stop [OPTIONS] CONTAINER [CONTAINER...]")
    @Option(name: [.customShort("t"), .long], help: "Seconds to wait before killing the container") var timeout: Int?
    @Option(name: .shortAndLong, help: "Signal to send to the container") var signal: String?
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth stop") }
        let client = try connectClient()
        try forEachTarget(containers) { try client.stopContainer($0, timeout: timeout, signal: signal); out($0) }
    }
}

/// `berth restart`.
struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Restart one or more containers",
        usage: "berth restart [OPTIONS] CONTAINER [CONTAINER...]")
    @Option(name: [.customShort("t"), .long], help: "Seconds to wait before killing the container") var timeout: Int?
    @Option(name: .shortAndLong, help: "Signal to send to the container") var signal: String?
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth restart") }
        let client = try connectClient()
        try forEachTarget(containers) { try client.restartContainer($0, timeout: timeout, signal: signal); out($0) }
    }
}

/// `berth kill`.
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill", abstract: "Kill one or more running containers",
        usage: "berth kill [OPTIONS] CONTAINER [CONTAINER...]")
    @Option(name: .shortAndLong, help: "Signal to send to the container") var signal: String?
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth kill") }
        let client = try connectClient()
        try forEachTarget(containers) { try client.killContainer($0, signal: signal); out($0) }
    }
}

/// `berth pause`.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause all processes within one or more containers",
        usage: "berth pause CONTAINER [CONTAINER...]")
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth pause") }
        let client = try connectClient()
        try forEachTarget(containers) { try client.pauseContainer($0); out($0) }
    }
}

/// `berth unpause`.
struct UnpauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpause", abstract: "Unpause all processes within one or more containers",
        usage: "berth unpause CONTAINER [CONTAINER...]")
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth unpause") }
        let client = try connectClient()
        try forEachTarget(containers) { try client.unpauseContainer($0); out($0) }
    }
}

/// `berth wait`: prints each exit code.
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Block until one or more containers stop, then print their exit codes",
        usage: "berth wait CONTAINER [CONTAINER...]")
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth wait") }
        let client = try connectClient()
        try forEachTarget(containers) { out(String(try client.waitContainer($0).statusCode)) }
    }
}

/// `berth rm`.
struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more containers",
        usage: "berth rm [OPTIONS] CONTAINER [CONTAINER...]", aliases: ["remove"])
    @Flag(name: .shortAndLong, help: "Force the removal of a running container (uses SIGKILL)") var force = false
    @Flag(name: .shortAndLong, help: "Remove anonymous volumes associated with the container") var volumes = false
    @Flag(name: .shortAndLong, help: "Remove the specified link") var link = false
    @Argument var containers: [String] = []

    func run() throws {
        guard !containers.isEmpty else { throw UsageError.atLeast(1, "berth rm") }
        let client = try connectClient()
        try forEachTarget(containers) {
            try client.removeContainer($0, force: force, volumes: volumes, link: link); out($0)
        }
    }
}

/// `berth rename`.
struct RenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Rename a container", usage: "berth rename CONTAINER NEW_NAME")
    @Argument var container: String
    @Argument var newName: String

    func run() throws {
        let client = try connectClient()
        try client.renameContainer(container, to: newName)
    }
}

/// `berth container prune`.
struct ContainerPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove all stopped containers", usage: "berth container prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false
    @Option(help: "Provide filter values (e.g. \"until=<timestamp>\")") var filter: [String] = []

    func run() throws {
        if !force, !confirm("WARNING! This will remove all stopped containers.") { return }
        let client = try connectClient()
        let result = try client.pruneContainers(filters: try parseFilters(filter))
        if let deleted = result.containersDeleted, !deleted.isEmpty {
            out("Deleted Containers:")
            deleted.forEach { out($0) }
            out("")
        }
        out("Total reclaimed space: \(HumanUnits.size(Double(result.spaceReclaimed)))")
    }
}

/// docker's prune prompt: `Are you sure you want to continue? [y/N]`.
func confirm(_ warning: String) -> Bool {
    outRaw(warning + "\nAre you sure you want to continue? [y/N] ")
    guard let answer = readLine() else { return false }
    return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
}
