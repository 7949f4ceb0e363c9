import DockerAPI
import Foundation
import Networking

extension Engine {
    /// Names docker accepts for networks.
    static func isValidNetworkName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) }
    }

    var cni: CNIRuntime {
        CNIRuntime(pluginDirectories: configuration.cniPluginDirectories, cacheDirectory: configuration.networkDirectory + "/cache")
    }

    /// The plugin chain of a bridge network (the file written at creation has all of it). An
    /// attachment without published ports runs it without `portmap`, which would have nothing to
    /// do but costs ~20 iptables calls per ADD and DEL; the cache keeps the chain each attachment
    /// ran, so its DEL runs the same plugins.
    func conflist(_ network: NetworkDefinition, withPorts: Bool = true) throws(EngineError) -> CNIConfList {
        do {
            let list = try CNIConfList.bridgeNetwork(network, ipamDataDirectory: configuration.networkDirectory + "/ipam")
            return withPorts ? list : list.without("portmap")
        } catch {
            throw EngineError.system("network \(network.name): \(error)")
        }
    }

    /// Finds a network by full ID, name, or unique ID prefix (docker's order).
    func lookupNetwork(_ reference: String) throws(EngineError) -> NetworkDefinition {
        if let network = networks[reference] { return network }
        if let network = networks.values.first(where: { $0.name == reference }) { return network }
        let matches = networks.values.filter { $0.id.hasPrefix(reference) }
        if !reference.isEmpty && matches.count == 1 { return matches[0] }
        throw EngineError(.notFound, "network \(reference) not found")
    }

    /// The default `bridge` network.
    var defaultNetwork: NetworkDefinition? { networks.values.first { $0.isDefault } }

    /// Every network (for `GET /networks`).
    public func allNetworks() -> [NetworkDefinition] { Array(networks.values) }

    /// One network (for `GET /networks/{id}`).
    public func network(_ reference: String) throws(EngineError) -> NetworkDefinition { try lookupNetwork(reference) }

    /// Containers with an endpoint on network `id`, and that endpoint.
    public func members(ofNetwork id: String) -> [(record: ContainerRecord, endpoint: Endpoint)] {
        containers.values.compactMap { record in endpoints(of: record)[id].map { (record, $0) } }
    }

    /// The endpoints a record has, including the implicit default-bridge one of records that
    /// never named a network.
    func endpoints(of record: ContainerRecord) -> [String: Endpoint] {
        if let endpoints = record.endpoints { return endpoints }
        let mode = record.hostConfig.networkMode ?? "default"
        if ["", "default", "bridge"].contains(mode), let bridge = defaultNetwork { return [bridge.id: Endpoint(networkID: bridge.id)] }
        return [:]
    }

    /// `POST /networks/create`: a bridge network with its own subnet (given, or the first free
    /// of docker's pools that clashes with no host route and no other network).
    public func createNetwork(_ request: NetworkCreateRequest) async throws(EngineError) -> NetworkDefinition {
        let name = request.name
        guard !name.isEmpty else { throw EngineError.invalid("network name is required") }
        guard Self.isValidNetworkName(name) else {
            throw EngineError.invalid("invalid network name \"\(name)\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        if networks.values.contains(where: { $0.name == name }) {
            throw EngineError(.conflict, "network with name \(name) already exists")
        }
        let driver = request.driver ?? "bridge"
        if driver == "host" || driver == "null" {
            throw EngineError(.forbidden, "only one instance of \"\(driver)\" network is allowed")
        }
        guard driver == "bridge" || driver.isEmpty else { throw EngineError(.notFound, "plugin \"\(driver)\" not found") }
        if request.enableIPv6 == true { throw EngineError.invalid("IPv6 networks are not supported by Berth yet") }
        let configs = request.ipam?.config ?? []
        if configs.count > 1 { throw EngineError.invalid("only one IPAM pool per network is supported") }
        let taken = networks.values.compactMap { IPv4Subnet($0.subnet) }
        let subnet: IPv4Subnet
        if let text = configs.first?.subnet, !text.isEmpty {
            guard let parsed = IPv4Subnet(text, strict: true) else { throw EngineError.invalid("invalid subnet \(text): expected an IPv4 network such as 10.10.0.0/16") }
            guard parsed.prefixLength <= 30 else { throw EngineError.invalid("invalid subnet \(text): the prefix must be /30 or shorter") }
            if taken.contains(where: { $0.overlaps(parsed) }) {
                throw EngineError(.forbidden, "invalid pool request: Pool overlaps with other one on this address space")
            }
            subnet = parsed
        } else {
            guard let free = SubnetPool.firstFree(avoiding: taken + HostRoutes.destinations()) else {
                throw EngineError(.forbidden, "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network")
            }
            subnet = free
        }
        var gateway = subnet.firstHost
        if let text = configs.first?.gateway, !text.isEmpty {
            guard let parsed = IPv4Address(text), subnet.contains(parsed), parsed != subnet.network, parsed != subnet.broadcast else {
                throw EngineError.invalid("invalid gateway \(text): not a host address of subnet \(subnet)")
            }
            gateway = parsed
        }
        var ipRange: String?
        if let text = configs.first?.ipRange, !text.isEmpty {
            guard let range = IPv4Subnet(text, strict: true), subnet.contains(range.network), range.prefixLength >= subnet.prefixLength else {
                throw EngineError.invalid("invalid ip range \(text): not inside subnet \(subnet)")
            }
            ipRange = range.description
        }
        let id = ContainerNames.newID()
        let bridge = request.options?["com.docker.network.bridge.name"] ?? NetworkDefinition.bridgeName(forID: id)
        guard !bridge.isEmpty, bridge.count <= 15, !networks.values.contains(where: { $0.bridge == bridge }) else {
            throw EngineError.invalid("invalid bridge name \(bridge): empty, longer than 15 characters, or used by another network")
        }
        let network = NetworkDefinition(
            id: id, name: name, bridge: bridge, subnet: subnet.description, gateway: gateway.description, ipRange: ipRange,
            isInternal: request.internal == true, attachable: request.attachable == true, labels: request.labels ?? [:],
            options: request.options ?? [:], created: Timestamp.now().rfc3339)
        try await install(network)
        publish(type: "network", action: "create", id: id, attributes: ["name": name, "type": "bridge"])
        return network
    }

    /// Writes the conflist, the host rules (NAT, forwarding, isolation), the bridge and the record of a new network.
    func install(_ network: NetworkDefinition) async throws(EngineError) {
        let list = try conflist(network)
        let directory = configuration.networkDirectory + "/conf"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try list.fileData().write(to: URL(fileURLWithPath: directory + "/\(network.name).conflist"), options: .atomic)
            try await Blocking.run { try Self.applyHostState(network) }
            try database.saveNetwork(network)
        } catch {
            try? FileManager.default.removeItem(atPath: directory + "/\(network.name).conflist")
            await Blocking.run {
                NetworkRules().remove(bridge: network.bridge, subnet: network.subnet, isInternal: network.isInternal)
                HostInterface.deleteLink(network.bridge)
            }
            throw EngineError.system("creating network \(network.name): \(error)")
        }
        networks[network.id] = network
    }

    /// A network's host side, idempotent: its iptables rules and its bridge with the gateway
    /// address (at creation, and again at every daemon start).
    static func applyHostState(_ network: NetworkDefinition) throws {
        try NetworkRules().add(bridge: network.bridge, subnet: network.subnet, isInternal: network.isInternal)
        if let subnet = IPv4Subnet(network.subnet) {
            try HostInterface.ensureBridge(network.bridge, gateway: network.gateway, prefixLength: subnet.prefixLength)
        }
    }

    /// `DELETE /networks/{id}`: refused for the built-in networks and while a running
    /// container uses it; removes its bridge, rules, leases and conflist.
    public func removeNetwork(_ reference: String) async throws(EngineError) {
        let network = try lookupNetwork(reference)
        if network.isDefault || network.isBuiltinWithoutBridge {
            throw EngineError(.forbidden, "\(network.name) is a pre-defined network and cannot be removed")
        }
        let active = members(ofNetwork: network.id).filter { $0.record.isRunning }
        if !active.isEmpty {
            throw EngineError(.forbidden, "error while removing network: network \(network.name) id \(network.id) has active endpoints (\(active.map(\.record.name).sorted().joined(separator: ", ")))")
        }
        try await uninstall(network)
        publish(type: "network", action: "destroy", id: network.id, attributes: ["name": network.name, "type": "bridge"])
    }

    func uninstall(_ network: NetworkDefinition) async throws(EngineError) {
        do { try database.deleteNetwork(id: network.id) } catch { throw EngineError.system("removing network \(network.name): \(error)") }
        networks[network.id] = nil
        let directory = configuration.networkDirectory
        let cni = self.cni
        let list = try? conflist(network)
        await Blocking.run {
            // Leases of containers that never released them (a crash): DEL them first.
            if let list {
                for (container, ifName) in cni.cachedAttachments(network: network.name) {
                    try? cni.delete(list, CNIAttachment(containerID: container, netns: "", ifName: ifName))
                }
            }
            NetworkRules().remove(bridge: network.bridge, subnet: network.subnet, isInternal: network.isInternal)
            HostInterface.deleteLink(network.bridge)
            try? FileManager.default.removeItem(atPath: directory + "/ipam/" + network.name)
            try? FileManager.default.removeItem(atPath: directory + "/cache/" + network.name)
            try? FileManager.default.removeItem(atPath: directory + "/conf/\(network.name).conflist")
        }
    }

    /// `POST /networks/prune`: user networks no container refers to.
    public func pruneNetworks(labels: [String] = []) async -> [String] {
        var removed: [String] = []
        for network in networks.values where !network.isDefault && !network.isBuiltinWithoutBridge {
            guard members(ofNetwork: network.id).isEmpty, Self.matchesLabels(network.labels, labels) else { continue }
            if (try? await uninstall(network)) != nil {
                removed.append(network.name)
                publish(type: "network", action: "destroy", id: network.id, attributes: ["name": network.name, "type": "bridge"])
            }
        }
        return removed.sorted()
    }

    /// docker's `label=key` / `label=key=value` / `label!=…` filters.
    static func matchesLabels(_ labels: [String: String], _ filters: [String]) -> Bool {
        filters.allSatisfy { filter in
            let negate = filter.hasPrefix("!")
            let body = negate ? String(filter.dropFirst()) : filter
            let parts = body.split(separator: "=", maxSplits: 1).map(String.init)
            let hit = parts.count == 2 ? labels[parts[0]] == parts[1] : labels[parts[0]] != nil
            return negate ? !hit : hit
        }
    }

    /// Creates the built-in networks on first start (bridge, host, none), re-applies the
    /// isolation rules, and releases what a crash left behind: namespaces and leases of
    /// containers that are no longer running.
    func prepareNetworks() async {
        for directory in [configuration.networkDirectory, configuration.netnsDirectory] {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        do {
            for network in try database.allNetworks() { networks[network.id] = network }
            if defaultNetwork == nil { try await install(try makeDefaultNetwork()) }
            for (name, driver) in [("host", "host"), ("none", "null")] where !networks.values.contains(where: { $0.name == name }) {
                let network = NetworkDefinition(id: ContainerNames.newID(), name: name, driver: driver, bridge: "", subnet: "",
                                                gateway: "", created: Timestamp.now().rfc3339)
                try database.saveNetwork(network)
                networks[network.id] = network
            }
        } catch {
            logger.error("networks could not be prepared: \(error)")
        }
        for network in networks.values where !network.isBuiltinWithoutBridge {
            do {
                try await Blocking.run { try Self.applyHostState(network) }
            } catch {
                logger.error("host rules for network \(network.name): \(error)")
            }
        }
    }

    /// The default bridge network's definition, from `--bip`/`--bridge` or the first free pool.
    func makeDefaultNetwork() throws -> NetworkDefinition {
        var subnet: IPv4Subnet?
        var gateway: IPv4Address?
        if let bip = configuration.bridgeSubnet {
            guard let parsed = IPv4Subnet(bip), let address = IPv4Address(bip.split(separator: "/").first ?? "") else {
                throw EngineError.invalid("--bip \(bip): expected an address with a prefix, e.g. 172.30.0.1/16")
            }
            subnet = parsed
            gateway = address == parsed.network ? parsed.firstHost : address
        } else {
            let taken = networks.values.compactMap { IPv4Subnet($0.subnet) }
            subnet = SubnetPool.firstFree(avoiding: taken + HostRoutes.destinations())
            gateway = subnet?.firstHost
        }
        guard let subnet, let gateway else { throw EngineError.system("no free subnet for the default bridge network") }
        return NetworkDefinition(id: ContainerNames.newID(), name: "bridge", bridge: configuration.bridgeName,
                                 subnet: subnet.description, gateway: gateway.description,
                                 options: ["com.docker.network.bridge.name": configuration.bridgeName,
                                           "com.docker.network.bridge.default_bridge": "true"],
                                 created: Timestamp.now().rfc3339, isDefault: true)
    }

    /// After restore: DEL every cached attachment whose container is not running (its lease
    /// and rules), and remove namespaces nobody runs in.
    func sweepNetworkLeftovers() async {
        let running = Set(containers.values.filter(\.isRunning).map(\.id))
        let cni = self.cni
        for network in networks.values where !network.isBuiltinWithoutBridge {
            guard let list = try? conflist(network) else { continue }
            let stale = cni.cachedAttachments(network: network.name).filter { !running.contains($0.containerID) }
            for (container, ifName) in stale {
                let netns = configuration.netnsPath(container)
                await Blocking.run { try? cni.delete(list, CNIAttachment(containerID: container, netns: netns, ifName: ifName)) }
                logger.info("released a network attachment left by a crash", metadata: ["network": "\(network.name)", "container": "\(container.prefix(12))"])
            }
        }
        let pinned = (try? FileManager.default.contentsOfDirectory(atPath: configuration.netnsDirectory)) ?? []
        let keep = Set(running.map { String($0.prefix(16)) })
        for name in pinned where !keep.contains(name) {
            NetNS.remove(at: configuration.netnsDirectory + "/" + name)
        }
    }
}
