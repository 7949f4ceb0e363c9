import ArgumentParser
import Client
import Foundation

// Global flags come before the command, as with docker: -H/--host, -D/--debug,
// -v/--version, -l/--log-level. -H is handed to the client as BERTH_HOST.
var arguments = Array(CommandLine.arguments.dropFirst())
while let first = arguments.first, first.hasPrefix("-"), first != "-" {
    arguments.removeFirst()
    func value(_ name: String) -> String {
        if let eq = first.firstIndex(of: "=") { return String(first[first.index(after: eq)...]) }
        guard !arguments.isEmpty else { err("flag needs an argument: \(name)"); exit(125) }
        return arguments.removeFirst()
    }
    switch first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first {
    case "-H", "--host": setenv("BERTH_HOST", value("-H"), 1)
    case "-D", "--debug": setenv("BERTH_DEBUG", "1", 1)
    case "-l", "--log-level", "--config", "-c", "--context": _ = value(first)
    case "-v", "--version": out("Berth version \(berthCLIVersion)"); exit(0)
    case "-h", "--help": out(Berth.helpMessage()); exit(0)
    default:
        err("unknown flag: \(first)\nSee 'berth --help'.")
        exit(125)
    }
}
if arguments.isEmpty { out(Berth.helpMessage()); exit(0) }
let earlyPing = EarlyPing()

exit(runBerth(arguments))
