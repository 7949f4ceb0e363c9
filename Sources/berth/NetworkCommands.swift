import ArgumentParser
import Client
import DockerAPI
import Foundation

/// `berth network …`.
struct NetworkGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Manage networks", usage: "berth network COMMAND",
        subcommands: [NetworkCreateCommand.self, NetworkLsCommand.self, NetworkInspectCommand.self, NetworkRmCommand.self,
                      NetworkPruneCommand.self, NetworkConnectCommand.self, NetworkDisconnectCommand.self])
}

/// `berth network create`.
struct NetworkCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a network", usage: "berth network create [OPTIONS] NETWORK")
    @Option(name: .shortAndLong, help: "Driver to manage the Network") var driver: String = "bridge"
    @Option(help: "Subnet in CIDR format that represents a network segment") var subnet: [String] = []
    @Option(help: "IPv4 Gateway for the master subnet") var gateway: [String] = []
    @Option(name: .customLong("ip-range"), help: "Allocate container ip from a sub-range") var ipRange: [String] = []
    @Flag(help: "Restrict external access to the network") var `internal` = false
    @Flag(help: "Enable manual container attachment") var attachable = false
    @Option(help: "Set metadata on a network") var label: [String] = []
    @Option(name: .shortAndLong, help: "Set driver specific options") var opt: [String] = []
    @Argument var name: String?

    func run() throws {
        guard let name else { throw UsageError.exactly(1, "berth network create") }
        let client = try connectClient()
        var pools: [IPAMConfig] = []
        for (index, subnet) in self.subnet.enumerated() {
            pools.append(IPAMConfig(subnet: subnet, ipRange: index < ipRange.count ? ipRange[index] : nil,
                                    gateway: index < gateway.count ? gateway[index] : nil))
        }
        if pools.isEmpty && (!gateway.isEmpty || !ipRange.isEmpty) {
            throw UsageError("every ip-range or gateway must have a corresponding subnet")
        }
        var request = NetworkCreateRequest(name: name, driver: driver, internal: `internal`,
                                           ipam: IPAM(driver: "default", config: pools), labels: FlagParsers.labels(label))
        request.attachable = attachable
        request.options = FlagParsers.labels(opt)
        out(try client.createNetwork(request).id)
    }
}

/// `berth network ls`.
struct NetworkLsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List networks", usage: "berth network ls [OPTIONS]", aliases: ["list"])
    @Flag(name: .shortAndLong, help: "Only display network IDs") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate the output") var noTrunc = false
    @Option(name: .shortAndLong, help: "Provide filter values (e.g. \"driver=bridge\")") var filter: [String] = []
    @Option(help: "Format output using a custom template") var format: String?

    func run() throws {
        let client = try connectClient()
        let rows = try client.listNetworks(filters: try parseFilters(filter)).sorted { $0.name < $1.name }
            .map { NetworkRows.row($0, truncate: !noTrunc) }
        if quiet && format == nil { try printList(rows, format: "{{.ID}}", headers: NetworkRows.headers); return }
        try printList(rows, format: resolveFormat(format, default: NetworkRows.defaultFormat), headers: NetworkRows.headers)
    }
}

/// `berth network inspect`.
struct NetworkInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Display detailed information on one or more networks",
        usage: "berth network inspect [OPTIONS] NETWORK [NETWORK...]")
    @Option(name: .shortAndLong, help: "Format output using a custom template") var format: String?
    @Argument var networks: [String] = []

    func run() throws {
        let client = try connectClient()
        try inspectObjects(networks, format: format) { try client.inspectNetworkRaw($0) }
    }
}

/// `berth network rm`.
struct NetworkRmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more networks", usage: "berth network rm NETWORK [NETWORK...]",
        aliases: ["remove"])
    @Argument var networks: [String] = []

    func run() throws {
        guard !networks.isEmpty else { throw UsageError.atLeast(1, "berth network rm") }
        let client = try connectClient()
        try forEachTarget(networks) { try client.removeNetwork($0); out($0) }
    }
}

/// `berth network prune`.
struct NetworkPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove all unused networks", usage: "berth network prune [OPTIONS]")
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation") var force = false
    @Option(help: "Provide filter values (e.g. \"label=<key>=<value>\")") var filter: [String] = []

    func run() throws {
        let client = try connectClient()
        let result = try client.pruneNetworks(filters: try parseFilters(filter))
        if !result.networksDeleted.isEmpty {
            out("Deleted Networks:")
            for name in result.networksDeleted { out(name) }
        }
    }
}

/// `berth network connect`.
struct NetworkConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect", abstract: "Connect a container to a network",
        usage: "berth network connect [OPTIONS] NETWORK CONTAINER")
    @Option(help: "Add network-scoped alias for the container") var alias: [String] = []
    @Option(help: "IPv4 address (e.g., \"172.30.100.104\")") var ip: String?
    @Argument var network: String?
    @Argument var container: String?

    func run() throws {
        guard let network, let container else { throw UsageError.exactly(2, "berth network connect") }
        let client = try connectClient()
        var endpoint = EndpointSettings()
        endpoint.aliases = alias.isEmpty ? nil : alias
        if let ip { endpoint.ipamConfig = EndpointIPAMConfig(ipv4Address: ip) }
        try client.connectNetwork(network, NetworkConnectRequest(container: container, endpointConfig: endpoint))
    }
}

/// `berth network disconnect`.
struct NetworkDisconnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disconnect", abstract: "Disconnect a container from a network",
        usage: "berth network disconnect [OPTIONS] NETWORK CONTAINER")
    @Flag(name: .shortAndLong, help: "Force the container to disconnect from a network") var force = false
    @Argument var network: String?
    @Argument var container: String?

    func run() throws {
        guard let network, let container else { throw UsageError.exactly(2, "berth network disconnect") }
        let client = try connectClient()
        try client.disconnectNetwork(network, NetworkDisconnectRequest(container: container, force: force))
    }
}
