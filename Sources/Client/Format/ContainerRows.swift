import DockerAPI
import Foundation

/// The fields `ps --format` offers, computed as docker's container formatter does.
public enum ContainerRows {
    /// Header names of the fields.
    public static let headers: [String: String] = [
        "ID": "CONTAINER ID", "Names": "NAMES", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
        "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS", "Size": "SIZE",
        "Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS", "LocalVolumes": "LOCAL VOLUMES",
    ]

    /// docker's default `ps` table (SIZE appended with `-s`).
    public static func defaultFormat(size: Bool) -> String {
        "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}" + (size ? "\t{{.Size}}" : "")
    }

    /// One row.
    public static func row(_ c: ContainerSummary, truncate: Bool, now: Date = Date()) -> TemplateValue {
        var names = c.names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        if truncate { names = names.filter { !$0.contains("/") } }
        var image = c.image
        if truncate, image.hasPrefix("sha256:") { image = Display.shortID(image) }
        var command = c.command
        if truncate { command = Display.ellipsis(command, 20) }
        var size = HumanUnits.size(Double(c.sizeRw ?? 0), precision: 3)
        if let root = c.sizeRootFs, root > 0 { size += " (virtual \(HumanUnits.size(Double(root), precision: 3)))" }
        let labels = c.labels.keys.sorted().map { "\($0)=\(c.labels[$0]!)" }.joined(separator: ",")
        let mounts = c.mounts.map { mount -> String in
            let name = mount.name ?? mount.source
            return truncate ? Display.ellipsis(name, 15) : name
        }.joined(separator: ",")
        let localVolumes = c.mounts.filter { $0.driver == "local" }.count
        return .object([
            "ID": .string(truncate ? Display.shortID(c.id) : c.id),
            "Names": .string(names.joined(separator: ",")),
            "Image": .string(image),
            "Command": .string("\"" + command + "\""),
            "CreatedAt": .string(Display.goTimeString(unix: c.created)),
            "RunningFor": .string(HumanUnits.ago(unixTime: c.created, now: now)),
            "Ports": .string(ports(c.ports)),
            "State": .string(c.state),
            "Status": .string(c.status),
            "Size": .string(size),
            "Labels": .string(labels),
            "Mounts": .string(mounts),
            "Networks": .string(c.networkSettings.networks.keys.sorted().joined(separator: ",")),
            "LocalVolumes": .string(String(localVolumes)),
            "Platform": .null,
        ])
    }

    /// docker's `DisplayablePorts`: ports published on the same number are grouped
    /// into ranges per IP and protocol (`0.0.0.0:80-81->80-81/tcp`, `:::80->80/tcp`,
    /// `443/tcp`); mappings to another host port follow one by one (`[::]:8080->80/tcp`).
    public static func ports(_ ports: [ContainerSummary.Port]) -> String {
        let sorted = ports.sorted { i, j in
            if i.privatePort != j.privatePort { return i.privatePort < j.privatePort }
            if (i.ip ?? "") != (j.ip ?? "") { return (i.ip ?? "") < (j.ip ?? "") }
            if (i.publicPort ?? 0) != (j.publicPort ?? 0) { return (i.publicPort ?? 0) < (j.publicPort ?? 0) }
            return i.type < j.type
        }
        var groups: [String: (first: Int, last: Int)] = [:]
        var keys: [String] = []
        var result: [String] = []
        var hostMappings: [String] = []
        func form(_ key: String, _ first: Int, _ last: Int) -> String {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let ip = parts.count > 1 ? parts[0] : ""
            let type = parts.count > 1 ? parts[1] : parts[0]
            var group = first == last ? "\(first)" : "\(first)-\(last)"
            if !ip.isEmpty { group = "\(ip):\(group)->\(group)" }
            return "\(group)/\(type)"
        }
        for port in sorted {
            let current = port.privatePort
            var key = port.type
            if let ip = port.ip, !ip.isEmpty {
                let publicPort = port.publicPort ?? 0
                if publicPort != current {
                    let host = ip.contains(":") ? "[\(ip)]" : ip
                    hostMappings.append("\(host):\(publicPort)->\(current)/\(port.type)")
                    continue
                }
                key = "\(ip)/\(port.type)"
            }
            guard let group = groups[key] else {
                groups[key] = (current, current)
                keys.append(key)
                continue
            }
            if current == group.last + 1 { groups[key] = (group.first, current); continue }
            result.append(form(key, group.first, group.last))
            groups[key] = (current, current)
        }
        for key in keys { result.append(form(key, groups[key]!.first, groups[key]!.last)) }
        return (result + hostMappings).joined(separator: ", ")
    }
}
