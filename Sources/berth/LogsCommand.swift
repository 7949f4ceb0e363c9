import ArgumentParser
import Client
import Foundation

/// `berth logs`: the container's log, demultiplexed to stdout/stderr unless it has a TTY.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Fetch the logs of a container", usage: "berth logs [OPTIONS] CONTAINER")
    @Flag(name: .shortAndLong, help: "Follow log output") var follow = false
    @Option(name: [.customShort("n"), .long], help: "Number of lines to show from the end of the logs") var tail: String?
    @Option(help: "Show logs since timestamp or relative (e.g. 42m)") var since: String?
    @Option(help: "Show logs before a timestamp or relative (e.g. 42m)") var until: String?
    @Flag(name: .shortAndLong, help: "Show timestamps") var timestamps = false
    @Flag(help: "Show extra details provided to logs") var details = false
    @Argument var container: String

    func run() throws {
        let client = try connectClient()
        var options = LogsOptions()
        options.follow = follow; options.tail = tail; options.timestamps = timestamps
        options.since = try since.map { try timeFilter($0, flag: "--since") }
        options.until = try until.map { try timeFilter($0, flag: "--until") }
        let response = try client.logs(container, options)
        var multiplexed: Bool
        if let type = response.head.header("content-type"), type.contains("multiplexed") || type.contains("raw-stream") {
            multiplexed = type.contains("multiplexed")
        } else {
            multiplexed = !(try client.containerBrief(container).tty)
        }
        try copyOutput(from: response.body, multiplexed: multiplexed)
    }
}

/// docker's `--since`/`--until` values: a Unix time, an RFC 3339 time, or a
/// duration (`42m`, `1h30m`, `10s`) before now — sent as Unix seconds.
func timeFilter(_ value: String, flag: String) throws -> String {
    if Double(value) != nil { return value }
    if let seconds = Display.parseRFC3339(value) { return String(format: "%.9f", seconds) }
    if let duration = parseGoDuration(value) { return String(format: "%.9f", Date().timeIntervalSince1970 - duration) }
    if value.count == 10, let day = Display.parseRFC3339(value + "T00:00:00Z") { return String(Int64(day)) }
    throw UsageError("invalid value for \(flag): failed to parse value as time or duration: \"\(value)\"")
}

/// Go's `time.ParseDuration` (`1h2m3.5s`, `300ms`).
func parseGoDuration(_ text: String) -> Double? {
    let units: [String: Double] = ["ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600]
    var rest = Substring(text)
    var total = 0.0
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
        let number = rest.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number) else { return nil }
        rest = rest.dropFirst(number.count)
        let unit = rest.prefix { !$0.isNumber && $0 != "." }
        guard let factor = units[String(unit)] else { return nil }
        rest = rest.dropFirst(unit.count)
        total += value * factor
    }
    return total
}
