import Foundation

/// A network configuration list (CNI spec 1.0): a name and the plugins ADD runs in order.
/// Each plugin's configuration is kept as its JSON object; `name`, `cniVersion`, `prevResult`
/// and `runtimeConfig` are added per call, as the spec says.
public struct CNIConfList: Sendable, Equatable {
    public var cniVersion: String
    public var name: String
    /// One JSON object per plugin, in ADD order.
    public var plugins: [Data]

    public init(cniVersion: String = "1.0.0", name: String, plugins: [Data]) {
        self.cniVersion = cniVersion; self.name = name; self.plugins = plugins
    }

    /// The `type` of each plugin (the executable's name).
    public var pluginTypes: [String] { plugins.map { Self.type(of: $0) } }

    /// The same list without the plugins of `type`.
    public func without(_ type: String) -> CNIConfList {
        CNIConfList(cniVersion: cniVersion, name: name, plugins: plugins.filter { Self.type(of: $0) != type })
    }

    static func type(of plugin: Data) -> String {
        ((try? JSONSerialization.jsonObject(with: plugin)) as? [String: Any])?["type"] as? String ?? "?"
    }

    /// The conflist file's JSON, as CNI tools (cnitool, libcni) read it.
    public func fileData() throws -> Data {
        let list = try plugins.map { try JSONSerialization.jsonObject(with: $0) }
        let object: [String: Any] = ["cniVersion": cniVersion, "name": name, "plugins": list]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Reads a conflist written by ``fileData()``.
    public init(fileData: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: fileData) as? [String: Any],
              let name = object["name"] as? String, let list = object["plugins"] as? [Any] else {
            throw CNIFailure(network: "?", plugin: "-", command: "load", message: "not a CNI network configuration list")
        }
        self.name = name
        self.cniVersion = object["cniVersion"] as? String ?? "1.0.0"
        self.plugins = try list.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
    }

    /// The stdin of one plugin call: its configuration plus the network's name and version,
    /// the previous plugin's result, and the runtime's arguments for capabilities it declares.
    func pluginInput(_ index: Int, prevResult: Data?, runtimeConfig: [String: Any]) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: plugins[index]) as? [String: Any] else {
            throw CNIFailure(network: name, plugin: "?", command: "config", message: "plugin \(index) is not a JSON object")
        }
        object["name"] = name
        object["cniVersion"] = cniVersion
        if let prevResult { object["prevResult"] = try JSONSerialization.jsonObject(with: prevResult) }
        // Only capabilities the plugin asks for are passed (spec: "capabilities" → "runtimeConfig").
        if let capabilities = object["capabilities"] as? [String: Bool] {
            var passed: [String: Any] = [:]
            for (key, value) in runtimeConfig where capabilities[key] == true { passed[key] = value }
            if !passed.isEmpty { object["runtimeConfig"] = passed }
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

extension CNIConfList {
    /// The plugin chain for a Berth bridge network: `bridge` (gateway on the bridge, hairpin,
    /// addresses from `host-local`) and `portmap` for published ports. NAT and forwarding
    /// accepts are per-network rules (``NetworkRules``), not per-container plugin work.
    public static func bridgeNetwork(_ network: NetworkDefinition, ipamDataDirectory: String) throws -> CNIConfList {
        var range: [String: Any] = ["subnet": network.subnet, "gateway": network.gateway]
        if let ipRange = network.ipRange, let sub = IPv4Subnet(ipRange) {
            range["rangeStart"] = IPv4Address(sub.network.value + (sub.prefixLength < 31 ? 1 : 0)).description
            range["rangeEnd"] = IPv4Address(sub.broadcast.value - (sub.prefixLength < 31 ? 1 : 0)).description
        }
        var ipam: [String: Any] = [
            "type": "host-local", "ranges": [[range]], "dataDir": ipamDataDirectory,
        ]
        if !network.isInternal { ipam["routes"] = [["dst": "0.0.0.0/0"]] }
        let bridge: [String: Any] = [
            "type": "bridge", "bridge": network.bridge, "isGateway": true, "ipMasq": false,
            "hairpinMode": true, "ipam": ipam, "capabilities": ["ips": true],
        ]
        let portmap: [String: Any] = ["type": "portmap", "snat": true, "externalSetMarkChain": NetworkRules.setMark,
                                      "capabilities": ["portMappings": true]]
        return CNIConfList(name: network.name, plugins: try [bridge, portmap].map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])
        })
    }
}
