import ArgumentParser
import Client
import RunFlags
import Foundation

/// The `berth` command: docker's command set against berthd.
struct Berth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "A Docker-compatible container engine client.",
        subcommands: [
            RunCommand.self, CreateCommand.self, StartCommand.self, StopCommand.self, KillCommand.self,
            RestartCommand.self, PauseCommand.self, UnpauseCommand.self, WaitCommand.self, RmCommand.self,
            RenameCommand.self, LogsCommand.self, AttachCommand.self, ExecCommand.self, TopCommand.self,
            InspectCommand.self, StatsCommand.self, EventsCommand.self, PortCommand.self, CpCommand.self,
            ExportCommand.self, CommitCommand.self, PsCommand.self, ImagesCommand.self, ImageGroup.self,
            TagCommand.self, RmiCommand.self, LoadCommand.self, SaveCommand.self, ImportCommand.self,
            HistoryCommand.self, SystemGroup.self, InfoCommand.self, VersionCommand.self, VolumeGroup.self,
            ContainerGroup.self, NetworkGroup.self, DockerfileGroup.self, BuildCommand.self, BuilderGroup.self,
            PullCommand.self, PushCommand.self, LoginCommand.self, LogoutCommand.self,
        ]
    )
}

/// Parses and runs one command line, returning the exit status; errors are
/// printed as docker prints them (usage errors and daemon errors of run/create exit 125).
func runBerth(_ arguments: [String]) -> Int32 {
    let commandPath = commandWords(arguments)
    do {
        switch arguments.first {
        case "run":
            if let fast = FastRunArguments(Array(arguments.dropFirst()), detachable: true) { try RunCommand.run(fast); return 0 }
        case "create":
            if let fast = FastRunArguments(Array(arguments.dropFirst()), detachable: false) { try CreateCommand.run(fast); return 0 }
        default: break
        }
        var command = try directParse(arguments) ?? Berth.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let exit as CLIExit {
        if let message = exit.message { err(message) }
        return exit.code
    } catch let error as ClientError {
        err(error.description)
        return 1
    } catch let error as UsageError {
        if error.argumentCount {
            printUsageError("berth: " + error.message, commandPath, helpVerb: error.atLeast ? "See" : "Run")
        } else {
            printUsageError(error.message, commandPath)
        }
        return 125
    } catch let error as FlagError {
        if error.isRuntime {
            err("berth: \(error.description)\n\nRun '\((["berth"] + commandPath).joined(separator: " ")) --help' for more information")
        } else {
            printUsageError(error.description, commandPath)
        }
        return 125
    } catch {
        let code = Berth.exitCode(for: error)
        if code == .success {
            out(Berth.fullMessage(for: error))
            return 0
        }
        if let exit = error as? ExitCode { return exit.rawValue }
        let message = Berth.message(for: error)
        if message.hasPrefix("Missing expected argument") {
            let name = (["berth"] + commandPath).joined(separator: " ")
            let count = requiredArgumentCount(commandPath)
            printUsageError("berth: '\(name)' requires \(count) argument\(count == 1 ? "" : "s")", commandPath)
        } else {
            printUsageError(parseErrorText(message), commandPath)
        }
        return 125
    }
}

/// A top-level command without subcommands parsed on its own: parsing as the root builds every
/// command's parser by reflection (several ms of each `berth run`). Help and anything that does
/// not parse go the root's way, which words the errors.
func directParse(_ arguments: [String]) -> ParsableCommand? {
    guard let name = arguments.first, !arguments.contains("--help"), !arguments.contains("-h"),
          let type = Berth.configuration.subcommands.first(where: { $0.configuration.commandName == name }),
          type.configuration.subcommands.isEmpty else { return nil }
    return try? type.parseAsRoot(Array(arguments.dropFirst()))
}

/// ArgumentParser's wording turned toward pflag's (`unknown flag: --x`).
func parseErrorText(_ message: String) -> String {
    if message.hasPrefix("Unknown option '") {
        return "unknown flag: " + message.dropFirst("Unknown option '".count).dropLast()
    }
    if message.hasPrefix("Missing value for '") {
        let flag = message.dropFirst("Missing value for '".count).prefix { $0 != "'" && $0 != " " }
        if flag.count == 2, flag.hasPrefix("-") { return "flag needs an argument: '\(flag.dropFirst())' in \(flag)" }
        return "flag needs an argument: \(flag)"
    }
    return message
}

/// docker's layout: the error, the command's usage line, and where to get help.
func printUsageError(_ message: String, _ path: [String], helpVerb: String = "Run") {
    let name = (["berth"] + path).joined(separator: " ")
    var text = message + "\n"
    if let usage = usageLine(path) { text += "\nUsage:  \(name) \(usage)\n" }
    text += "\n\(helpVerb) '\(name) --help' for more information"
    err(text)
}

/// Required positional arguments by the usage line (`CONTAINER NEW_NAME` → 2).
func requiredArgumentCount(_ path: [String]) -> Int {
    guard let usage = usageLine(path) else { return 1 }
    return max(1, usage.split(separator: " ").filter { !$0.hasPrefix("[") && $0.uppercased() == $0 && !$0.contains("|") }.count)
}

/// The command words at the start of `arguments` (`image ls`, `run`).
func commandWords(_ arguments: [String]) -> [String] {
    var words: [String] = []
    var current: [any ParsableCommand.Type] = Berth.configuration.subcommands
    for argument in arguments {
        guard let match = current.first(where: {
            $0.configuration.commandName == argument || $0.configuration.aliases.contains(argument)
        }) else { break }
        words.append(argument)
        current = match.configuration.subcommands
        if current.isEmpty { break }
    }
    return words
}

/// The `usage` of the command at `path`.
func usageLine(_ path: [String]) -> String? {
    var current: [any ParsableCommand.Type] = Berth.configuration.subcommands
    var found: (any ParsableCommand.Type)?
    for word in path {
        guard let match = current.first(where: { $0.configuration.commandName == word || $0.configuration.aliases.contains(word) }) else { return nil }
        found = match
        current = match.configuration.subcommands
    }
    guard let usage = found?.configuration.usage else { return nil }
    var words = usage.split(separator: " ").map(String.init)
    while let first = words.first, first == "berth" || path.contains(first) { words.removeFirst() }
    return words.joined(separator: " ")
}
