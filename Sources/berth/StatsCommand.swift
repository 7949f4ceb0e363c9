import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth stats`: live resource use; `--no-stream` prints one sample.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Display a live stream of container(s) resource usage statistics",
        usage: "berth stats [OPTIONS] [CONTAINER...]")
    @Flag(name: .shortAndLong, help: "Show all containers (default shows just running)") var all = false
    @Flag(name: .customLong("no-stream"), help: "Disable streaming stats and only pull the first result") var noStream = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate output") var noTrunc = false
    @Option(help: "Format output using a custom template") var format: String?
    @Argument var containers: [String] = []

    func run() throws {
        let client = try connectClient()
        var targets = containers
        if targets.isEmpty {
            targets = try client.listContainers(all: all).map { Display.shortID($0.id) }
        }
        let format = resolveFormat(format, default: StatsRows.defaultFormat)
        if noStream || !RawTerminal.isTerminal(1) && noStream {
            let rows = try targets.map { name -> TemplateValue in
                let response = try client.stats(name, stream: false)
                let stats = try BerthClient.decodeBody(ContainerStats.self, try response.body.readAll(), what: "stats")
                return StatsRows.row(stats, container: name, truncate: !noTrunc)
            }
            try printList(rows, format: format, headers: StatsRows.headers)
            return
        }
        // Streaming: one reader thread per container keeps the latest sample; redraw every second.
        let latest = LatestStats(targets)
        for name in targets {
            let body = try client.stats(name, stream: true).body
            let thread = Thread {
                let lines = LineReader(body)
                while let line = try? lines.next() {
                    if let stats = try? JSONDecoder().decode(ContainerStats.self, from: Data(line)) { latest.set(name, stats) }
                }
                latest.finish(name)
            }
            thread.start()
        }
        let redraw = RawTerminal.isTerminal(1)
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let rows = latest.rows(truncate: !noTrunc)
            if redraw { outRaw("\u{1B}[2J\u{1B}[H") }
            try printList(rows, format: format, headers: StatsRows.headers)
            if latest.allFinished { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }
}

/// The newest sample per container, shared with the reader threads.
final class LatestStats: @unchecked Sendable {
    private let lock = NSLock()
    private let order: [String]
    private var samples: [String: ContainerStats] = [:]
    private var finished: Set<String> = []

    init(_ order: [String]) { self.order = order }

    func set(_ name: String, _ stats: ContainerStats) { lock.lock(); samples[name] = stats; lock.unlock() }
    func finish(_ name: String) { lock.lock(); finished.insert(name); lock.unlock() }
    var allFinished: Bool { lock.lock(); defer { lock.unlock() }; return finished.count == order.count }

    func rows(truncate: Bool) -> [TemplateValue] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { name in samples[name].map { StatsRows.row($0, container: name, truncate: truncate) } }
    }
}
