import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth builder …`.
struct BuilderGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "builder", abstract: "Manage builds", usage: "berth builder COMMAND",
        subcommands: [BuilderPruneCommand.self])
}

/// `berth builder prune`: the build cache, and the build contexts berthd keeps in sync.
struct BuilderPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove build cache", usage: "berth builder prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Remove all unused build cache, not just dangling ones") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false

    func run() throws {
        if !force, !confirm("WARNING! This will remove all dangling build cache.") { return }
        let result = try connectClient().pruneBuildCache(all: all)
        if !result.cachesDeleted.isEmpty {
            out("Deleted build cache objects:")
            result.cachesDeleted.forEach { out($0) }
            out("")
        }
        out("Total reclaimed space: \(HumanUnits.size(Double(result.spaceReclaimed)))")
    }
}
