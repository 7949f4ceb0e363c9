import ArgumentParser
import Client
import RunFlags

extension ContainerFlags {
    /// The values as the Client's `RunOptions`, after docker's checks of the image argument.
    func options(detach: Bool, command: any ParsableCommand.Type = RunCommand.self) throws -> RunOptions {
        if imageAndCommand.first == "--help" { throw CleanExit.helpRequest(command) }
        guard let image = imageAndCommand.first else {
            throw UsageError.atLeast(1, "berth run")
        }
        if image.hasPrefix("-") && image != "-" { throw UsageError("unknown flag: \(image)") }
        return runOptions(detach: detach)
    }
}
