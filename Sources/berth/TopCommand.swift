import ArgumentParser
import Client

/// `berth top`: the container's processes as a table.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Display the running processes of a container",
        usage: "berth top CONTAINER [ps OPTIONS]")
    @Argument var container: String
    @Argument(parsing: .captureForPassthrough) var psOptions: [String] = []

    func run() throws {
        let client = try connectClient()
        let top = try client.top(container, psArgs: psOptions.isEmpty ? nil : psOptions.joined(separator: " "))
        var text = top.titles.joined(separator: "\t") + "\n"
        for process in top.processes { text += process.joined(separator: "\t") + "\n" }
        outRaw(TabWriter(minWidth: 20, padding: 3).format(text))
    }
}
