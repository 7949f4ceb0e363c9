import ArgumentParser
import Client
import RunFlags

extension ContainerFlags {
    /// The values as `run` and `create` take them, after docker's checks of the image argument.
    func checkedArguments(detach: Bool, command: any ParsableCommand.Type) throws -> FastRunArguments {
        if imageAndCommand.first == "--help" { throw CleanExit.helpRequest(command) }
        guard let image = imageAndCommand.first else {
            throw UsageError.atLeast(1, "berth " + (command.configuration.commandName ?? "run"))
        }
        if image.hasPrefix("-") && image != "-" { throw UsageError("unknown flag: \(image)") }
        return arguments(detach: detach)
    }
}
