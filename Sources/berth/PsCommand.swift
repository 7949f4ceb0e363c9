import ArgumentParser
import Client
import Foundation

/// `berth ps`: the container table.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List containers", usage: "berth ps [OPTIONS]")
    @OptionGroup var options: PsOptions

    func run() throws { try listContainers(options) }
}

/// Lists containers as `ps` does.
func listContainers(_ o: PsOptions) throws {
    let client = try connectClient()
    let limit = o.latest ? 1 : (o.last > 0 ? o.last : nil)
    let wantsSize = o.size || formatNeedsSize(o.format)
    let containers = try client.listContainers(all: o.all || limit != nil, limit: limit, size: wantsSize,
                                               filters: try parseFilters(o.filter))
    let now = Date()
    let rows = containers.map { ContainerRows.row($0, truncate: !o.noTrunc, now: now) }
    if o.quiet && o.format == nil {
        try printList(rows, format: "{{.ID}}", headers: ContainerRows.headers)
        return
    }
    try printList(rows, format: resolveFormat(o.format, default: ContainerRows.defaultFormat(size: o.size)),
                  headers: ContainerRows.headers, typeName: "*formatter.ContainerContext")
}

/// `berth container …`: docker's management-command spellings.
struct ContainerGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container", abstract: "Manage containers", usage: "berth container COMMAND",
        subcommands: [
            ContainerLsCommand.self, RunCommand.self, CreateCommand.self, StartCommand.self, StopCommand.self,
            KillCommand.self, RestartCommand.self, PauseCommand.self, UnpauseCommand.self, WaitCommand.self,
            RmCommand.self, RenameCommand.self, LogsCommand.self, AttachCommand.self, ExecCommand.self,
            TopCommand.self, ContainerInspectCommand.self, StatsCommand.self, PortCommand.self, CpCommand.self,
            ExportCommand.self, CommitCommand.self, ContainerPruneCommand.self,
        ])
}

/// `berth container ls` (also `list`, `ps`).
struct ContainerLsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List containers", usage: "berth container ls [OPTIONS]", aliases: ["list", "ps"])
    @OptionGroup var options: PsOptions

    func run() throws { try listContainers(options) }
}

/// The flags of `ps`, for `container ls`.
struct PsOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show all containers (default shows just running)") var all = false
    @Flag(name: .shortAndLong, help: "Only display container IDs") var quiet = false
    @Option(name: [.customShort("n"), .customLong("last")], help: "Show n last created containers (includes all states)") var last: Int = -1
    @Flag(name: [.customShort("l"), .customLong("latest")], help: "Show the latest created container (includes all states)") var latest = false
    @Flag(name: .shortAndLong, help: "Display total file sizes") var size = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output") var noTrunc = false
    @Option(name: .shortAndLong, help: "Filter output based on conditions provided") var filter: [String] = []
    @Option(help: "Format output using a custom template") var format: String?
}

/// `berth container inspect`.
struct ContainerInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more containers",
        usage: "berth container inspect [OPTIONS] CONTAINER [CONTAINER...]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?
    @Flag(name: .shortAndLong, help: "Display total file sizes") var size = false
    @Argument var containers: [String] = []

    func run() throws {
        let client = try connectClient()
        try inspectObjects(containers, format: format) { name in
            try client.inspectContainerRaw(name, size: size)
        }
    }
}
