import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth volume …`.
struct VolumeGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume", abstract: "Manage volumes", usage: "berth volume COMMAND",
        subcommands: [VolumeCreateCommand.self, VolumeLsCommand.self, VolumeInspectCommand.self,
                      VolumeRmCommand.self, VolumePruneCommand.self])
}

/// `berth volume create`.
struct VolumeCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a volume", usage: "berth volume create [OPTIONS] [VOLUME]")
    @Option(name: .shortAndLong, help: "Specify volume driver name") var driver: String = "local"
    @Option(name: .shortAndLong, help: "Set driver specific options") var opt: [String] = []
    @Option(help: "Set metadata for a volume") var label: [String] = []
    @Option(help: "Specify volume name") var name: String?
    @Argument var volume: String?

    func run() throws {
        if let name, let volume, name != volume {
            throw UsageError("conflicting options: cannot specify a volume-name through both --name and as a positional arg")
        }
        let client = try connectClient()
        let created = try client.createVolume(VolumeCreateOptions(
            name: volume ?? name, driver: driver, driverOpts: FlagParsers.labels(opt), labels: FlagParsers.labels(label)))
        out(created.name)
    }
}

/// `berth volume ls`.
struct VolumeLsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List volumes", usage: "berth volume ls [OPTIONS]", aliases: ["list"])
    @Flag(name: .shortAndLong, help: "Only display volume names") var quiet = false
    @Option(name: .shortAndLong, help: "Provide filter values (e.g. \"dangling=true\")") var filter: [String] = []
    @Option(help: "Format output using a custom template") var format: String?

    func run() throws {
        let client = try connectClient()
        let list = try client.listVolumes(filters: try parseFilters(filter))
        let rows = list.volumes.sorted { $0.name < $1.name }.map(VolumeRows.row)
        if quiet && format == nil { try printList(rows, format: "{{.Name}}", headers: VolumeRows.headers); return }
        try printList(rows, format: resolveFormat(format, default: VolumeRows.defaultFormat), headers: VolumeRows.headers)
    }
}

/// `berth volume inspect`.
struct VolumeInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more volumes",
        usage: "berth volume inspect [OPTIONS] VOLUME [VOLUME...]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?
    @Argument var volumes: [String] = []

    func run() throws {
        let client = try connectClient()
        try inspectObjects(volumes, format: format) { name in
            try client.inspectVolumeRaw(name)
        }
    }
}

/// `berth volume rm`.
struct VolumeRmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more volumes", usage: "berth volume rm [OPTIONS] VOLUME [VOLUME...]",
        aliases: ["remove"])
    @Flag(name: .shortAndLong, help: "Force the removal of one or more volumes") var force = false
    @Argument var volumes: [String] = []

    func run() throws {
        guard !volumes.isEmpty else { throw UsageError.atLeast(1, "berth volume rm") }
        let client = try connectClient()
        try forEachTarget(volumes) { try client.removeVolume($0, force: force); out($0) }
    }
}

/// `berth volume prune`.
struct VolumePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove unused local volumes", usage: "berth volume prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Remove all unused volumes, not just anonymous ones") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false
    @Option(help: "Provide filter values (e.g. \"label=<label>\")") var filter: [String] = []

    func run() throws {
        let warning = all ? "WARNING! This will remove all local volumes not used by at least one container."
            : "WARNING! This will remove anonymous local volumes not used by at least one container."
        if !force, !confirm(warning) { return }
        let client = try connectClient()
        var filters = try parseFilters(filter)
        if all { filters.append(("all", "true")) }
        let result = try client.pruneVolumes(filters: filters)
        if let deleted = result.volumesDeleted, !deleted.isEmpty {
            out("Deleted Volumes:")
            deleted.forEach { out($0) }
            out("")
        }
        out("Total reclaimed space: \(HumanUnits.size(Double(result.spaceReclaimed)))")
    }
}
