import DockerAPI
import Foundation
import Networking

extension Engine {
    /// The network namespace a starting container gets, where its hosts/resolv/hostname files
    /// come from, and the CNI ADDs still running for it.
    struct NetworkPlan {
        var namespace: NetworkNamespace
        /// For `container:<id>`: the other container, whose files are shared.
        var sharedWith: ContainerRecord?
        /// The ADDs, running while the shim and runtime create the container (the process only
        /// starts after ``finishNetworking(_:_:)`` applied their results).
        var pending: Task<[String: CNIResult], Error>?
        /// What `pending` attaches (network, interface), in interface order.
        var attachments: [PendingAttach] = []
    }

    /// One CNI ADD to run: network, interface, ports.
    struct PendingAttach: Sendable {
        var networkID: String
        var list: CNIConfList
        var attachment: CNIAttachment
    }

    /// Prepares the container's network before its spec is built: for bridge networks a pinned
    /// namespace (`lo` up), the host ports held, and one CNI ADD per network (eth0, eth1, …;
    /// published ports on the first) started in the background. On failure everything done so
    /// far is undone.
    func setUpNetworking(_ record: inout ContainerRecord) async throws(EngineError) -> NetworkPlan {
        let mode = record.hostConfig.networkMode ?? "default"
        if mode == "host" { return NetworkPlan(namespace: .host) }
        if mode.hasPrefix("container:") {
            let other = try lookup(String(mode.dropFirst("container:".count)))
            guard other.isRunning, other.id != record.id else {
                throw EngineError(.conflict, "cannot join network namespace of a non running container: \(other.name)")
            }
            if other.hostConfig.networkMode == "host" { return NetworkPlan(namespace: .host, sharedWith: other) }
            let path = other.sandboxKey ?? "/proc/\(other.state.pid)/ns/net"
            return NetworkPlan(namespace: .join(path: path), sharedWith: other)
        }
        let netns = configuration.netnsPath(record.id)
        do {
            NetNS.remove(at: netns)
            try NetNS.create(at: netns)
        } catch { throw EngineError.system("\(error)") }
        record.sandboxKey = netns
        guard mode != "none" else { return NetworkPlan(namespace: .join(path: netns)) }
        var work: [PendingAttach] = []
        do {
            let endpoints = endpoints(of: record)
            let order = try attachOrder(record, endpoints)
            let (mappings, published, reservations) = try reservePorts(record)
            portReservations[record.id] = reservations
            record.publishedPorts = published
            for (index, networkID) in order.enumerated() {
                guard let endpoint = endpoints[networkID], let network = networks[networkID] else { continue }
                let ports = index == 0 ? mappings : []
                work.append(PendingAttach(
                    networkID: networkID, list: try conflist(network, withPorts: !ports.isEmpty),
                    attachment: CNIAttachment(containerID: record.id, netns: netns, ifName: "eth\(index)", portMappings: ports,
                                              requestedIPs: endpoint.requestedIP.map { [$0] } ?? [])))
            }
        } catch {
            await tearDownNetworking(&record)
            throw error
        }
        let cni = self.cni
        let pending = Task.detached { () throws -> [String: CNIResult] in
            var results: [String: CNIResult] = [:]
            for item in work {
                results[item.networkID] = try await Blocking.run { try cni.add(item.list, item.attachment) }
            }
            return results
        }
        return NetworkPlan(namespace: .join(path: netns), pending: pending, attachments: work)
    }

    /// Waits for the plan's ADDs and records what they gave (addresses, interfaces), rewrites
    /// the container's hosts file with its own addresses. On failure the caller tears down.
    func finishNetworking(_ record: inout ContainerRecord, _ plan: NetworkPlan) async throws(EngineError) {
        guard let pending = plan.pending else { return }
        let results: [String: CNIResult]
        do { results = try await pending.value } catch {
            throw EngineError.system("failed to set up container networking: \(error)")
        }
        var endpoints = endpoints(of: record)
        for item in plan.attachments {
            guard var endpoint = endpoints[item.networkID], let result = results[item.networkID],
                  let network = networks[item.networkID] else { continue }
            apply(result, to: &endpoint, network: network, ifName: item.attachment.ifName)
            endpoints[item.networkID] = endpoint
        }
        record.endpoints = endpoints
        try? EtcText.rewriteInPlace(configuration.bundle(record.id) + "/hosts", hostsText(record))
    }

    /// Fills an endpoint from an ADD result and lets 127.0.0.1 reach published ports.
    func apply(_ result: CNIResult, to endpoint: inout Endpoint, network: NetworkDefinition, ifName: String) {
        endpoint.endpointID = ContainerNames.newID()
        endpoint.ifName = ifName
        if let ip = result.ip(on: ifName), let subnet = IPv4Subnet(ip.address) {
            endpoint.ipAddress = String(ip.address.split(separator: "/")[0])
            endpoint.prefixLength = subnet.prefixLength
            endpoint.gateway = network.isInternal ? "" : (ip.gateway ?? network.gateway)
        }
        endpoint.macAddress = result.containerInterface(ifName)?.mac ?? ""
        let hostSide = result.hostInterfaces(excluding: network.bridge)
        endpoint.hostInterface = hostSide.first ?? ""
        for name in hostSide { HostInterface.enableRouteLocalnet(name) }
    }

    /// The networks in interface order: the one the mode names first, then the rest by name.
    func attachOrder(_ record: ContainerRecord, _ endpoints: [String: Endpoint]) throws(EngineError) -> [String] {
        var ids: [String] = []
        for id in endpoints.keys {
            guard networks[id] != nil else {
                throw EngineError(.notFound, "network \(id.prefix(12)) not found (it was removed); disconnect the container from it first")
            }
            ids.append(id)
        }
        let mode = record.hostConfig.networkMode ?? "default"
        let primary = ["", "default", "bridge"].contains(mode) ? defaultNetwork?.id : networks.values.first { $0.name == mode || $0.id == mode }?.id
        return ids.sorted { a, b in
            if a == primary { return true }
            if b == primary { return false }
            return (networks[a]?.name ?? a) < (networks[b]?.name ?? b)
        }
    }

    /// One CNI ADD for a running container (`network connect`).
    func attach(_ endpoint: inout Endpoint, container record: ContainerRecord, ifName: String, ports: [PortMapping]) async throws(EngineError) {
        guard let network = networks[endpoint.networkID], let netns = record.sandboxKey else { return }
        let list = try conflist(network, withPorts: !ports.isEmpty)
        let attachment = CNIAttachment(containerID: record.id, netns: netns, ifName: ifName, portMappings: ports,
                                       requestedIPs: endpoint.requestedIP.map { [$0] } ?? [])
        let cni = self.cni
        let result: CNIResult
        do { result = try await Blocking.run { try cni.add(list, attachment) } } catch {
            throw EngineError.system("failed to set up container networking: \(error)")
        }
        apply(result, to: &endpoint, network: network, ifName: ifName)
    }

    /// CNI DEL for every attached endpoint, `lo`, the namespace and the held ports. Never throws:
    /// what cannot be undone is logged (and swept at the next start).
    func tearDownNetworking(_ record: inout ContainerRecord) async {
        let id = record.id
        let cni = self.cni
        let netns = record.sandboxKey ?? configuration.netnsPath(id)
        let published = (record.publishedPorts ?? [:])
        var endpoints = record.endpoints ?? endpoints(of: record)
        // With a namespace of this start, endpoints whose ADD result never arrived (a start that
        // failed half-way) are DELeted under the name they were given: plugins tolerate absent things.
        let started = record.sandboxKey != nil && (record.hostConfig.networkMode ?? "") != "none"
        let order = started && endpoints.values.contains { !$0.isAttached } ? ((try? attachOrder(record, endpoints)) ?? []) : []
        for (networkID, var endpoint) in endpoints {
            let ifName = endpoint.isAttached ? endpoint.ifName : (started ? order.firstIndex(of: networkID).map { "eth\($0)" } : nil)
            guard let ifName else { continue }
            if let network = networks[networkID] {
                let ports = ifName == "eth0" ? Self.mappings(published) : []
                if let list = try? conflist(network, withPorts: !ports.isEmpty) {
                    let attachment = CNIAttachment(containerID: id, netns: netns, ifName: ifName, portMappings: ports)
                    do { try await Blocking.run { try cni.delete(list, attachment) } } catch {
                        logger.error("network teardown of \(record.shortID): \(error)")
                    }
                }
            }
            endpoint.detach()
            endpoints[networkID] = endpoint
        }
        if record.endpoints != nil { record.endpoints = endpoints }
        if record.sandboxKey != nil { NetNS.remove(at: netns) }
        for reservation in portReservations.removeValue(forKey: id) ?? [] { reservation.release() }
        record.publishedPorts = nil
        record.sandboxKey = nil
    }

    /// The portmap entries of published bindings.
    static func mappings(_ published: [String: [PortBinding]]) -> [PortMapping] {
        published.flatMap { key, bindings -> [PortMapping] in
            let parts = key.split(separator: "/")
            guard let port = Int(parts.first ?? "") else { return [] }
            let proto = parts.count > 1 ? String(parts[1]) : "tcp"
            return bindings.compactMap { b in
                guard let host = Int(b.hostPort ?? "") else { return nil }
                let ip = b.hostIp ?? ""
                return PortMapping(hostPort: host, containerPort: port, proto: proto, hostIP: ip == "0.0.0.0" ? "" : ip)
            }
        }.sorted { ($0.hostPort, $0.proto) < ($1.hostPort, $1.proto) }
    }

    /// Binds every published port (`-p`, and with `-P` every exposed port on a free one),
    /// resolving empty host ports and ranges, refusing ports another container or a host
    /// program holds with docker's messages.
    func reservePorts(_ record: ContainerRecord) throws(EngineError) -> ([PortMapping], [String: [PortBinding]], [HostPortReservation]) {
        var requested: [String: [PortBinding]] = [:]
        for (key, bindings) in record.hostConfig.portBindings ?? [:] { requested[key] = bindings ?? [PortBinding(hostIp: "", hostPort: "")] }
        if record.hostConfig.publishAllPorts == true {
            for key in (record.config.exposedPorts ?? [:]).keys where requested[key] == nil {
                requested[key] = [PortBinding(hostIp: "", hostPort: "")]
            }
        }
        var held: [HostPortReservation] = []
        var published: [String: [PortBinding]] = [:]
        let taken = portReservations.values.flatMap { $0 }
        do {
            for key in requested.keys.sorted() {
                let parts = key.split(separator: "/")
                let proto = parts.count > 1 ? String(parts[1]).lowercased() : "tcp"
                guard let containerPort = Int(parts.first ?? ""), (1...65535).contains(containerPort), ["tcp", "udp"].contains(proto) else {
                    throw EngineError.invalid("invalid port specification: \"\(key)\"")
                }
                for binding in requested[key] ?? [] {
                    var hostIP = binding.hostIp ?? ""
                    if hostIP.contains(":") { continue }   // IPv6 bindings: no IPv6 networks yet
                    if hostIP == "0.0.0.0" { hostIP = "" }
                    if !hostIP.isEmpty && IPv4Address(hostIP) == nil { throw EngineError.invalid("invalid host IP \(hostIP) for port \(key)") }
                    let candidates = try Self.hostPortCandidates(binding.hostPort ?? "", key: key)
                    var reservation: HostPortReservation?
                    var lastFailure: String?
                    for port in candidates {
                        if port != 0, taken.contains(where: { $0.port == port && $0.proto == proto && ($0.hostIP.isEmpty || hostIP.isEmpty || $0.hostIP == hostIP) })
                            || held.contains(where: { $0.port == port && $0.proto == proto }) {
                            lastFailure = "Bind for \(hostIP.isEmpty ? "0.0.0.0" : hostIP):\(port) failed: port is already allocated"
                            continue
                        }
                        do {
                            reservation = try HostPortReservation.reserve(proto: proto, hostIP: hostIP, port: port)
                            break
                        } catch {
                            lastFailure = "failed to bind port \(hostIP.isEmpty ? "0.0.0.0" : hostIP):\(port)/\(proto): Error starting userland proxy: \(error)"
                        }
                    }
                    guard let reservation else {
                        throw EngineError.system("driver failed programming external connectivity on endpoint \(record.name) (\(record.shortID)): \(lastFailure ?? "no port")")
                    }
                    held.append(reservation)
                    published[key, default: []].append(PortBinding(hostIp: hostIP.isEmpty ? "0.0.0.0" : hostIP, hostPort: String(reservation.port)))
                }
            }
        } catch let error as EngineError {
            for reservation in held { reservation.release() }
            throw error
        } catch {
            for reservation in held { reservation.release() }
            throw EngineError.system("\(error)")
        }
        return (Self.mappings(published), published, held)
    }

    /// `""`/`0` → [0] (the kernel picks), `8080` → [8080], `8000-8010` → each in turn.
    static func hostPortCandidates(_ text: String, key: String) throws(EngineError) -> [Int] {
        if text.isEmpty || text == "0" { return [0] }
        let bounds = text.split(separator: "-", maxSplits: 1).map { Int($0) }
        guard let low = bounds.first ?? nil, (1...65535).contains(low) else { throw EngineError.invalid("invalid hostPort: \(text)") }
        guard bounds.count == 2 else { return [low] }
        guard let high = bounds[1], high >= low, high <= 65535 else { throw EngineError.invalid("invalid hostPort: \(text)") }
        return Array(low...high)
    }
}
