/// Why a CNI operation failed, naming the plugin, the command and the network.
public struct CNIFailure: Error, Sendable, CustomStringConvertible {
    public var network: String
    public var plugin: String
    public var command: String
    public var message: String

    public init(network: String, plugin: String, command: String, message: String) {
        self.network = network; self.plugin = plugin; self.command = command; self.message = message
    }

    public var description: String {
        "network \(network): plugin \(plugin) failed on \(command): \(message)"
    }
}
