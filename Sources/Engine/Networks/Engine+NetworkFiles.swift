import DockerAPI
import Foundation
import Networking

extension Engine {
    /// The container's /etc/hosts: standard lines, `--add-host`, its own addresses under its
    /// hostname, and on user networks every running peer by name and alias (docker's embedded
    /// DNS answers the same names; here a hosts file managed as members come and go).
    func hostsText(_ record: ContainerRecord) -> String {
        let extra = (record.hostConfig.extraHosts ?? []).compactMap(EtcText.addHostEntry)
        let hostname = record.config.hostname ?? record.shortID
        var own: [EtcText.HostEntry] = []
        var peers: [EtcText.HostEntry] = []
        let mine = endpoints(of: record)
        for (networkID, endpoint) in mine.sorted(by: { $0.key < $1.key }) where endpoint.isAttached {
            var names = [hostname]
            if let domain = record.config.domainname, !domain.isEmpty { names.insert(hostname + "." + domain, at: 0) }
            own.append(.init(address: endpoint.ipAddress, names: names))
            guard let network = networks[networkID], !network.isDefault else { continue }
            for other in containers.values where other.id != record.id && other.isRunning {
                guard let theirs = endpoints(of: other)[networkID], theirs.isAttached else { continue }
                var names = [other.name] + theirs.aliases
                if !names.contains(other.shortID) { names.append(other.shortID) }
                peers.append(.init(address: theirs.ipAddress, names: names))
            }
        }
        return EtcText.hosts(extra: extra, own: own, peers: peers)
    }

    /// Rewrites the hosts files of running members of `networkIDs` (a member came or went), and
    /// of `container` itself when given (it may just have left them), except `except` (a
    /// starting container whose file was written before its process ran).
    func refreshHosts(_ networkIDs: Set<String>, including container: String? = nil, except: String? = nil) {
        let affected = networkIDs.filter { networks[$0].map { !$0.isDefault && !$0.isBuiltinWithoutBridge } ?? false }
        guard !affected.isEmpty || container != nil else { return }
        for record in containers.values where record.isRunning && record.hostConfig.networkMode != "host" && record.id != except {
            guard record.id == container || endpoints(of: record).keys.contains(where: affected.contains) else { continue }
            let path = configuration.bundle(record.id) + "/hosts"
            do { try EtcText.rewriteInPlace(path, hostsText(record)) } catch {
                logger.error("updating /etc/hosts of \(record.shortID): \(error)")
            }
        }
    }

    /// The networks a record is attached to right now.
    func attachedNetworkIDs(_ record: ContainerRecord) -> Set<String> {
        Set(endpoints(of: record).filter { $0.value.isAttached }.keys)
    }

    /// `POST /networks/{id}/connect`: records the endpoint; a running container gets the
    /// interface at once, and its peers' hosts files learn its name.
    public func connect(network reference: String, container containerReference: String, aliases: [String], ip: String?) async throws(EngineError) {
        let network = try lookupNetwork(reference)
        var record = try lookup(containerReference)
        let mode = record.hostConfig.networkMode ?? "default"
        if network.isBuiltinWithoutBridge || mode == "host" || mode == "none" || mode.hasPrefix("container:") {
            throw EngineError(.forbidden, "container cannot be disconnected from host network or connected to host network")
        }
        var endpoints = endpoints(of: record)
        if endpoints[network.id] != nil {
            throw EngineError(.forbidden, "endpoint with name \(record.name) already exists in network \(network.name)")
        }
        if let ip, !ip.isEmpty {
            guard let address = IPv4Address(ip), let subnet = IPv4Subnet(network.subnet), subnet.contains(address) else {
                throw EngineError.invalid("invalid IPv4 address \(ip) for network \(network.name) (\(network.subnet))")
            }
        }
        if network.isDefault && !aliases.isEmpty {
            throw EngineError.invalid("network-scoped alias is supported only for containers in user defined networks")
        }
        var endpoint = Endpoint(networkID: network.id, aliases: aliases, requestedIP: ip?.isEmpty == false ? ip : nil)
        if record.isRunning {
            let used = Set(endpoints.values.map(\.ifName))
            let ifName = (0...).lazy.map { "eth\($0)" }.first { !used.contains($0) }!
            try await attach(&endpoint, container: record, ifName: ifName, ports: [])
        }
        endpoints[network.id] = endpoint
        record.endpoints = endpoints
        try commit(record)
        refreshHosts([network.id], including: record.id)
        publish(type: "network", action: "connect", id: network.id, attributes: ["container": record.id, "name": network.name, "type": "bridge"])
    }

    /// `POST /networks/{id}/disconnect`.
    public func disconnect(network reference: String, container containerReference: String, force: Bool) async throws(EngineError) {
        let network = try lookupNetwork(reference)
        var record = try lookup(containerReference)
        var endpoints = endpoints(of: record)
        guard var endpoint = endpoints[network.id] else {
            throw EngineError(.forbidden, "container \(record.id) is not connected to network \(network.name)")
        }
        if endpoint.isAttached, let netns = record.sandboxKey {
            let ports = endpoint.ifName == "eth0" ? Self.mappings(record.publishedPorts ?? [:]) : []
            let list = try conflist(network, withPorts: !ports.isEmpty)
            let cni = self.cni
            let attachment = CNIAttachment(containerID: record.id, netns: netns, ifName: endpoint.ifName, portMappings: ports)
            do { try await Blocking.run { try cni.delete(list, attachment) } } catch {
                if !force { throw EngineError.system("disconnecting \(record.name) from \(network.name): \(error)") }
            }
            endpoint.detach()
        }
        endpoints[network.id] = nil
        record.endpoints = endpoints
        try commit(record)
        refreshHosts([network.id], including: record.id)
        publish(type: "network", action: "disconnect", id: network.id, attributes: ["container": record.id, "name": network.name, "type": "bridge"])
    }

    /// Inspect's `NetworkSettings` and the summary's `Networks`, keyed by network name.
    public func networkSettings(_ record: ContainerRecord) -> NetworkSettings {
        var settings = NetworkSettings(sandboxKey: record.sandboxKey ?? "")
        let mode = record.hostConfig.networkMode ?? "default"
        var views: [String: EndpointSettings] = [:]
        if mode == "host" || mode == "none" {
            if let network = networks.values.first(where: { $0.name == mode }) {
                var view = EndpointSettings()
                view.networkID = network.id
                views[mode] = view
            }
        }
        for (networkID, endpoint) in endpoints(of: record) {
            guard let network = networks[networkID] else { continue }
            var view = EndpointSettings()
            view.networkID = networkID
            view.aliases = endpoint.aliases.isEmpty ? nil : endpoint.aliases
            view.endpointID = endpoint.endpointID
            view.gateway = endpoint.gateway
            view.ipAddress = endpoint.ipAddress
            view.ipPrefixLen = endpoint.prefixLength
            view.macAddress = endpoint.macAddress
            if let ip = endpoint.requestedIP { view.ipamConfig = EndpointIPAMConfig(ipv4Address: ip) }
            if !network.isDefault { view.dnsNames = [record.name, record.shortID] + endpoint.aliases }
            views[network.name] = view
            if network.isDefault {
                settings.ipAddress = endpoint.ipAddress
                settings.ipPrefixLen = endpoint.prefixLength
                settings.gateway = endpoint.gateway
                settings.macAddress = endpoint.macAddress
            }
        }
        settings.networks = views
        var ports: [String: [PortBinding]?] = [:]
        for key in (record.config.exposedPorts ?? [:]).keys { ports[key] = .some(nil) }
        for key in (record.hostConfig.portBindings ?? [:]).keys where ports[key] == nil { ports[key] = .some(nil) }
        if record.isRunning { for (key, bindings) in record.publishedPorts ?? [:] { ports[key] = bindings } }
        settings.ports = ports
        return settings
    }
}
