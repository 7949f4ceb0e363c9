import DockerAPI

/// `network ls` columns, as docker names them.
public enum NetworkRows {
    public static let headers: [String: String] = [
        "ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE", "IPv6": "IPV6",
        "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT",
    ]

    public static let defaultFormat = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"

    public static func row(_ network: NetworkResource, truncate: Bool) -> TemplateValue {
        .object([
            "ID": .string(truncate ? String(network.id.prefix(12)) : network.id), "Name": .string(network.name),
            "Driver": .string(network.driver), "Scope": .string(network.scope),
            "IPv6": .string(String(network.enableIPv6)), "Internal": .string(String(network.internal)),
            "Labels": .string(network.labels.keys.sorted().map { "\($0)=\(network.labels[$0]!)" }.joined(separator: ",")),
            "CreatedAt": .string(network.created),
        ])
    }
}
