import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth events`: the daemon's event stream.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Get real time events from the server", usage: "berth events [OPTIONS]")
    @Option(help: "Show all events created since timestamp") var since: String?
    @Option(help: "Stream events until this timestamp") var until: String?
    @Option(name: .shortAndLong, help: "Filter output based on conditions provided") var filter: [String] = []
    @Option(help: "Format the output using the given Go template") var format: String?

    func run() throws {
        let client = try connectClient()
        let response = try client.events(
            since: try since.map { try timeFilter($0, flag: "--since") },
            until: try until.map { try timeFilter($0, flag: "--until") },
            filters: try parseFilters(filter))
        var template: GoTemplate? = nil
        if let format, !format.isEmpty {
            do {
                template = try GoTemplate(format == "json" ? "{{json .}}" : format
                    .replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n"))
            } catch { throw CLIExit(1, "\(error)") }
        }
        let lines = LineReader(response.body)
        while let line = try lines.next() {
            guard !line.isEmpty, let event = try? JSONDecoder().decode(EventMessage.self, from: Data(line)) else { continue }
            if let template {
                do { out(try template.render(try TemplateValue(json: line))) } catch let error as TemplateError {
                    throw CLIExit(1, "\(error)")
                }
            } else {
                out(Self.describe(event))
            }
        }
    }

    /// docker's default line: `<time> <type> <action> <id> (k=v, k=v)`.
    static func describe(_ event: EventMessage) -> String {
        var line = Display.rfc3339NanoFixed(timeNano: event.timeNano) + " "
        line += "\(event.type) \(event.action) \(event.actor.id)"
        let attributes = event.actor.attributes
        if !attributes.isEmpty {
            line += " (" + attributes.keys.sorted().map { "\($0)=\(attributes[$0]!)" }.joined(separator: ", ") + ")"
        }
        return line
    }
}
