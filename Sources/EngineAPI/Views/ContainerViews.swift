import DockerAPI
import Engine
import Foundation

/// Renders container records as the Engine API shows them.
enum ContainerViews {
    static func inspect(_ record: ContainerRecord, configuration: EngineConfiguration, execIDs: [String], network: NetworkSettings) -> ContainerInspect {
        let s = record.state
        let state = ContainerState(
            status: statusWord(record), running: record.isRunning && s.status != .restarting,
            paused: s.status == .paused, restarting: s.status == .restarting, oomKilled: s.oomKilled,
            dead: s.status == .dead, pid: Int(s.pid), exitCode: s.exitCode, error: s.error,
            startedAt: s.startedAt.rfc3339, finishedAt: s.finishedAt.rfc3339)
        let bundle = configuration.bundle(record.id)
        var hostConfig = record.hostConfig
        if hostConfig.networkMode == nil || hostConfig.networkMode == "" { hostConfig.networkMode = "bridge" }
        if hostConfig.logConfig == nil { hostConfig.logConfig = LogConfig(type: "json-file", config: [:]) }
        if hostConfig.restartPolicy == nil { hostConfig.restartPolicy = RestartPolicy(name: "no", maximumRetryCount: 0) }
        return ContainerInspect(
            id: record.id, created: record.created.rfc3339, path: record.path, args: record.args, state: state,
            image: record.imageID, resolvConfPath: bundle + "/resolv.conf", hostnamePath: bundle + "/hostname",
            hostsPath: bundle + "/hosts", logPath: configuration.logPath(record.id), name: "/" + record.name,
            restartCount: s.restartCount, execIDs: execIDs.isEmpty ? nil : execIDs, hostConfig: hostConfig,
            graphDriver: GraphDriver(name: "overlay2", data: [
                "MergedDir": bundle + "/rootfs",
                "UpperDir": configuration.root + "/containers/\(record.id)/upper",
                "WorkDir": configuration.root + "/containers/\(record.id)/work",
            ]),
            mounts: record.mounts, config: record.config,
            networkSettings: network)
    }

    static func summary(_ record: ContainerRecord, now: Timestamp = .now(), network: NetworkSettings) -> ContainerSummary {
        let command = ([record.path] + record.args).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        var list: [ContainerSummary.Port] = []
        for (key, bindings) in network.ports.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/")
            let port = Int(parts.first ?? "") ?? 0
            let proto = parts.count > 1 ? String(parts[1]) : "tcp"
            if let bindings, !bindings.isEmpty {
                for b in bindings { list.append(.init(ip: b.hostIp ?? "0.0.0.0", privatePort: port, publicPort: Int(b.hostPort ?? ""), type: proto)) }
            } else {
                list.append(.init(privatePort: port, type: proto))
            }
        }
        let mode = record.hostConfig.networkMode ?? "default"
        return ContainerSummary(
            id: record.id, names: ["/" + record.name], image: record.imageReference, imageID: record.imageID,
            command: command, created: record.created.seconds, ports: list, labels: record.config.labels ?? [:],
            state: statusWord(record), status: statusText(record, now: now), networkMode: mode,
            networks: network.networks, mounts: record.mounts)
    }

    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    static func statusWord(_ record: ContainerRecord) -> String {
        if record.state.status == .exited && !record.state.hasBeenStarted { return "created" }
        return record.state.status.rawValue
    }

    /// `Up 3 seconds`, `Exited (0) 5 seconds ago`, `Created`, as `docker ps` shows.
    static func statusText(_ record: ContainerRecord, now: Timestamp) -> String {
        let s = record.state
        switch s.status {
        case .running: return "Up " + humanDuration(now.nanoseconds - s.startedAt.nanoseconds)
        case .paused: return "Up " + humanDuration(now.nanoseconds - s.startedAt.nanoseconds) + " (Paused)"
        case .restarting: return "Restarting (\(s.exitCode)) " + humanDuration(now.nanoseconds - s.finishedAt.nanoseconds) + " ago"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        case .created: return "Created"
        case .exited:
            if !s.hasBeenStarted { return "Created" }
            return "Exited (\(s.exitCode)) " + humanDuration(now.nanoseconds - s.finishedAt.nanoseconds) + " ago"
        }
    }

    /// Docker's units.HumanDuration of a span in nanoseconds.
    static func humanDuration(_ nanoseconds: Int64) -> String { HumanDuration.text(Double(nanoseconds) / 1e9) }
}
