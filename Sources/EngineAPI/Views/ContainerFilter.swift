import Engine

/// `docker ps --filter`: id, name, status, label, ancestor, exited, before/since are checked here.
enum ContainerFilter {
    static func matches(_ record: ContainerRecord, _ filters: [String: [String]]) -> Bool {
        for (key, values) in filters where !values.isEmpty {
            let ok: Bool
            switch key {
            case "id": ok = values.contains { record.id.hasPrefix($0) }
            case "name": ok = values.contains { v in
                let want = v.hasPrefix("/") ? String(v.dropFirst()) : v
                return record.name.contains(want) || (want.hasPrefix("^") && record.name.hasPrefix(want.dropFirst()))
            }
            case "status": ok = values.contains(ContainerViews.statusWord(record))
            case "exited": ok = values.contains { Int($0) == record.state.exitCode } && record.state.status == .exited && record.state.hasBeenStarted
            case "label": ok = values.allSatisfy { labelMatches(record.config.labels ?? [:], $0) }
            case "ancestor": ok = values.contains { $0 == record.imageReference || record.imageID.hasPrefix($0) || record.imageID.hasPrefix("sha256:" + $0) }
            case "volume": ok = values.contains { v in record.mounts.contains { $0.name == v || $0.destination == v } }
            case "network": ok = values.contains { $0 == (record.hostConfig.networkMode ?? "bridge") }
            case "is-task": ok = values.contains("false")
            default: ok = true
            }
            if !ok { return false }
        }
        return true
    }

    /// `key` or `key=value`.
    static func labelMatches(_ labels: [String: String], _ filter: String) -> Bool {
        let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
        guard let value = labels[parts[0]] else { return false }
        return parts.count == 1 || value == parts[1]
    }
}
