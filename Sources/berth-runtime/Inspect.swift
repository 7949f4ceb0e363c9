#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import Glibc
import OCI
import Runtime

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileDescriptor.stdout.write(String(decoding: data, as: UTF8.self) + "\n")
}

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a container's state as JSON.")
    @OptionGroup var globals: Globals
    @Argument(help: "Container ID.") var id: String

    func run() throws {
        try FastCommand(globals: globals.values, action: .state, id: id).run()
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List containers.")
    @OptionGroup var globals: Globals
    @Option(name: [.short, .long], help: "table or json.") var format = "table"
    @Flag(name: [.short, .long], help: "Only IDs.") var quiet = false

    func run() throws {
        let runtime = try perform { try globals.runtime() }
        let all = runtime.list()
        if quiet { FileDescriptor.stdout.write(all.map { $0.id + "\n" }.joined()); return }
        if format == "json" { try printJSON(all); return }
        let rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]]
            + all.map { [$0.id, String($0.pid), $0.status, $0.bundle, $0.created, $0.owner] }
        FileDescriptor.stdout.write(table(rows))
    }
}

/// Left-aligned columns separated by at least three spaces, like Go's tabwriter in runc.
func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: first.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
        }.joined() + "\n"
    }.joined()
}

struct Ps: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a container's processes.")
    @OptionGroup var globals: Globals
    @Option(name: [.short, .long], help: "table or json.") var format = "table"
    @Argument(help: "Container ID.") var id: String
    @Argument(parsing: .captureForPassthrough, help: "ps(1) options (default -ef).") var psArgs: [String] = []

    func run() throws {
        let runtime = try perform { try globals.runtime() }
        let pids = try perform { try runtime.pids(id) }
        if format == "json" { try printJSON(pids); return }
        let output = try perform { try PsTable.render(pids: pids, psArgs: psArgs.isEmpty ? ["-ef"] : psArgs) }
        FileDescriptor.stdout.write(output)
    }
}

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spec", abstract: "Write a default config.json.")
    @OptionGroup var globals: Globals
    @Option(name: [.short, .long], help: "Bundle directory.") var bundle = "."
    @Flag(help: "Rootless configuration (not supported).") var rootless = false

    func run() throws {
        if rootless { throw fail(RuntimeError.message("--rootless spec is not supported")) }
        let path = bundle + "/config.json"
        if access(path, F_OK) == 0 { throw fail(RuntimeError.message("File \(path) exists. Remove it first")) }
        let data = try Spec.defaultSpec().encoded(prettyPrinted: true)
        try perform { try Host.writeAtomically(path, Array(data) + [10]) }
    }
}
