import ArgumentParser
import Client
import Foundation

/// `berth port`: the public ports of a container.
struct PortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port", abstract: "List port mappings or a specific mapping for the container",
        usage: "berth port CONTAINER [PRIVATE_PORT[/PROTO]]")
    @Argument var container: String
    @Argument var privatePort: String?

    func run() throws {
        let client = try connectClient()
        let brief = try client.containerBrief(container)
        func host(_ binding: (String?, String?)) -> String {
            let ip = binding.0 ?? ""
            return (ip.contains(":") ? "[\(ip)]" : ip) + ":" + (binding.1 ?? "")
        }
        if let privatePort {
            let key = privatePort.contains("/") ? privatePort : privatePort + "/tcp"
            guard let bindings = brief.ports[key] ?? nil, !bindings.isEmpty else {
                throw CLIExit(1, "Error: No public port '\(key)' published for \(container)")
            }
            for b in bindings { out(host((b.hostIp, b.hostPort))) }
            return
        }
        let keys = brief.ports.keys.sorted { a, b in
            let pa = Int(a.prefix { $0.isNumber }) ?? 0, pb = Int(b.prefix { $0.isNumber }) ?? 0
            return pa == pb ? a < b : pa < pb
        }
        for key in keys {
            for b in (brief.ports[key] ?? nil) ?? [] { out("\(key) -> \(host((b.hostIp, b.hostPort)))") }
        }
    }
}
