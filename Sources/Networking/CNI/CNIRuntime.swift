import Foundation

/// What one attachment of a container to a network is called and needs (CNI's runtime
/// parameters: container ID, namespace path, interface name, capability arguments).
public struct CNIAttachment: Sendable, Equatable {
    public var containerID: String
    public var netns: String
    public var ifName: String
    /// `runtimeConfig.portMappings`.
    public var portMappings: [PortMapping]
    /// `runtimeConfig.ips`: a requested address (`--ip`).
    public var requestedIPs: [String]

    public init(containerID: String, netns: String, ifName: String, portMappings: [PortMapping] = [], requestedIPs: [String] = []) {
        self.containerID = containerID; self.netns = netns; self.ifName = ifName
        self.portMappings = portMappings; self.requestedIPs = requestedIPs
    }
}

/// Calls CNI plugins for network configuration lists: ADD (with prevResult chaining and DEL
/// rollback on failure), DEL (in reverse, with the cached result) and CHECK. Each successful
/// ADD's result is cached on disk with the list and arguments, so a DEL after a daemon crash
/// or restart passes plugins the same configuration (as libcni's cache does).
public struct CNIRuntime: Sendable {
    /// Where plugin executables are searched, in order (CNI_PATH).
    public var pluginDirectories: [String]
    /// Cached ADD results: `<cache>/<network>/<container>-<ifname>.json`.
    public var cacheDirectory: String

    public init(pluginDirectories: [String] = ["/usr/lib/cni", "/opt/cni/bin"], cacheDirectory: String) {
        self.pluginDirectories = pluginDirectories; self.cacheDirectory = cacheDirectory
    }

    /// True when the host has the plugins Berth's bridge networks need.
    public var pluginsAvailable: Bool { ["bridge", "host-local", "portmap"].allSatisfy { plugin($0) != nil } }

    /// ADD: runs every plugin of `list` in order, each given the previous result. When a plugin
    /// fails, the plugins already run are undone with DEL (in reverse) before the error is thrown.
    public func add(_ list: CNIConfList, _ attachment: CNIAttachment) throws(CNIFailure) -> CNIResult {
        var previous: Data?
        for index in list.plugins.indices {
            do {
                previous = try invoke(list, index, "ADD", attachment, prevResult: previous)
            } catch {
                try? delete(list, attachment, prevResult: previous, through: index)
                throw error
            }
        }
        guard let previous, let result = try? JSONDecoder().decode(CNIResult.self, from: previous) else {
            try? delete(list, attachment, prevResult: previous, through: list.plugins.count - 1)
            throw CNIFailure(network: list.name, plugin: list.pluginTypes.last ?? "-", command: "ADD", message: "no result")
        }
        try saveCache(list, attachment, result: previous)
        return result
    }

    /// DEL: every plugin in reverse, each given the cached ADD result. Missing things are not
    /// errors (the spec asks plugins to tolerate them); the cache entry goes last.
    public func delete(_ list: CNIConfList, _ attachment: CNIAttachment) throws(CNIFailure) {
        let cached = loadCache(list.name, attachment)
        try delete(cached?.list ?? list, cached?.attachment ?? attachment, prevResult: cached?.result, through: list.plugins.count - 1)
        try? FileManager.default.removeItem(atPath: cachePath(list.name, attachment))
    }

    /// CHECK: every plugin in order with the cached result; throws the first failure.
    public func check(_ list: CNIConfList, _ attachment: CNIAttachment) throws(CNIFailure) {
        guard let cached = loadCache(list.name, attachment) else {
            throw CNIFailure(network: list.name, plugin: "-", command: "CHECK", message: "no cached result for \(attachment.containerID) \(attachment.ifName)")
        }
        for index in list.plugins.indices {
            _ = try invoke(cached.list, index, "CHECK", cached.attachment, prevResult: cached.result)
        }
    }

    /// The attachment cached for `(network, container, ifName)`, for a DEL after a restart.
    public func cachedAttachments(network: String) -> [(containerID: String, ifName: String)] {
        let directory = cacheDirectory + "/" + network
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".json"), let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let entry = try? JSONDecoder().decode(CacheEntry.self, from: data) else { return nil }
            return (entry.containerID, entry.ifName)
        }
    }

    private func delete(_ list: CNIConfList, _ attachment: CNIAttachment, prevResult: Data?, through last: Int) throws(CNIFailure) {
        var first: CNIFailure?
        for index in stride(from: last, through: 0, by: -1) {
            do { _ = try invoke(list, index, "DEL", attachment, prevResult: prevResult) } catch {
                if first == nil { first = error }
            }
        }
        if let first { throw first }
    }

    private func plugin(_ type: String) -> String? {
        pluginDirectories.map { $0 + "/" + type }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func invoke(_ list: CNIConfList, _ index: Int, _ command: String, _ attachment: CNIAttachment, prevResult: Data?) throws(CNIFailure) -> Data {
        let type = CNIConfList.type(of: list.plugins[index])
        func failure(_ message: String) -> CNIFailure {
            CNIFailure(network: list.name, plugin: type, command: command, message: message)
        }
        guard let path = plugin(type) else { throw failure("plugin \"\(type)\" not found in \(pluginDirectories.joined(separator: ":"))") }
        var runtimeConfig: [String: Any] = [:]
        if !attachment.portMappings.isEmpty {
            runtimeConfig["portMappings"] = attachment.portMappings.map { m -> [String: Any] in
                var o: [String: Any] = ["hostPort": m.hostPort, "containerPort": m.containerPort, "protocol": m.proto]
                if !m.hostIP.isEmpty { o["hostIP"] = m.hostIP }
                return o
            }
        }
        if !attachment.requestedIPs.isEmpty { runtimeConfig["ips"] = attachment.requestedIPs }
        let input: Data
        do { input = try list.pluginInput(index, prevResult: prevResult, runtimeConfig: runtimeConfig) } catch {
            throw failure("building its configuration: \(error)")
        }
        let environment = [
            "CNI_COMMAND=\(command)", "CNI_CONTAINERID=\(attachment.containerID)", "CNI_NETNS=\(attachment.netns)",
            "CNI_IFNAME=\(attachment.ifName)", "CNI_PATH=\(pluginDirectories.joined(separator: ":"))",
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        let output: PluginProcess.Output
        do { output = try PluginProcess.run(path, environment: environment, input: input) } catch {
            throw failure("could not run \(path): \(error)")
        }
        guard output.status == 0 else {
            if let object = try? JSONDecoder().decode(CNIErrorObject.self, from: output.stdout) {
                throw failure(object.msg + (object.details.map { $0.isEmpty ? "" : ": " + $0 } ?? ""))
            }
            let text = String(decoding: output.stderr.isEmpty ? output.stdout : output.stderr, as: UTF8.self)
            throw failure("exit status \(output.status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return command == "ADD" ? output.stdout : (prevResult ?? Data())
    }

    // MARK: - Result cache

    private struct CacheEntry: Codable {
        var kind = "berthCNICacheV1"
        var containerID: String
        var ifName: String
        var netns: String
        var portMappings: [PortMapping]
        var requestedIPs: [String]
        var conflist: Data
        var result: Data
    }

    private func cachePath(_ network: String, _ attachment: CNIAttachment) -> String {
        cacheDirectory + "/\(network)/\(attachment.containerID)-\(attachment.ifName).json"
    }

    private func saveCache(_ list: CNIConfList, _ attachment: CNIAttachment, result: Data) throws(CNIFailure) {
        do {
            let entry = CacheEntry(containerID: attachment.containerID, ifName: attachment.ifName, netns: attachment.netns,
                                   portMappings: attachment.portMappings, requestedIPs: attachment.requestedIPs,
                                   conflist: try list.fileData(), result: result)
            try FileManager.default.createDirectory(atPath: cacheDirectory + "/" + list.name, withIntermediateDirectories: true)
            try JSONEncoder().encode(entry).write(to: URL(fileURLWithPath: cachePath(list.name, attachment)), options: .atomic)
        } catch {
            try? delete(list, attachment, prevResult: result, through: list.plugins.count - 1)
            throw CNIFailure(network: list.name, plugin: "-", command: "ADD", message: "caching the result: \(error)")
        }
    }

    private func loadCache(_ network: String, _ attachment: CNIAttachment) -> (list: CNIConfList, attachment: CNIAttachment, result: Data)? {
        guard let data = FileManager.default.contents(atPath: cachePath(network, attachment)),
              let entry = try? JSONDecoder().decode(CacheEntry.self, from: data),
              let list = try? CNIConfList(fileData: entry.conflist) else { return nil }
        let cachedAttachment = CNIAttachment(containerID: entry.containerID, netns: entry.netns, ifName: entry.ifName,
                                             portMappings: entry.portMappings, requestedIPs: entry.requestedIPs)
        return (list, cachedAttachment, entry.result)
    }
}
