import DockerAPI
import Foundation

/// The fields of `stats --format`, computed as docker's stats helpers do.
public enum StatsRows {
    public static let headers: [String: String] = [
        "Container": "CONTAINER", "Name": "NAME", "ID": "CONTAINER ID", "CPUPerc": "CPU %",
        "MemUsage": "MEM USAGE / LIMIT", "MemPerc": "MEM %", "NetIO": "NET I/O", "BlockIO": "BLOCK I/O", "PIDs": "PIDS",
    ]

    public static let defaultFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"

    /// CPU use in percent of one CPU times the online CPUs.
    public static func cpuPercent(_ s: ContainerStats) -> Double {
        guard let cpu = s.cpuStats, let pre = s.precpuStats,
              let total = cpu.cpuUsage?.totalUsage, let system = cpu.systemCPUUsage else { return 0 }
        let cpuDelta = Double(total) - Double(pre.cpuUsage?.totalUsage ?? 0)
        let systemDelta = Double(system) - Double(pre.systemCPUUsage ?? 0)
        var online = Double(cpu.onlineCPUs ?? 0)
        if online == 0 { online = Double(cpu.cpuUsage?.percpuUsage?.count ?? 0) }
        guard systemDelta > 0, cpuDelta > 0 else { return 0 }
        return cpuDelta / systemDelta * online * 100
    }

    /// Memory in use without the page cache (v1 `total_inactive_file`, v2 `inactive_file`).
    public static func memoryUsage(_ m: ContainerStats.MemoryStats) -> Double {
        let usage = Double(m.usage ?? 0)
        if let v1 = m.stats?["total_inactive_file"], Double(v1) < usage { return usage - Double(v1) }
        if let v2 = m.stats?["inactive_file"], Double(v2) < usage { return usage - Double(v2) }
        return usage
    }

    /// One row; `container` is the name or ID the user gave.
    public static func row(_ s: ContainerStats, container: String, truncate: Bool = true) -> TemplateValue {
        let memory = s.memoryStats.map(memoryUsage) ?? 0
        let limit = Double(s.memoryStats?.limit ?? 0)
        var rx = 0.0, tx = 0.0
        for (_, n) in s.networks ?? [:] { rx += Double(n.rxBytes ?? 0); tx += Double(n.txBytes ?? 0) }
        var read = 0.0, write = 0.0
        for entry in s.blkioStats?.ioServiceBytesRecursive ?? [] {
            switch entry.op.lowercased() {
            case "read": read += Double(entry.value)
            case "write": write += Double(entry.value)
            default: break
            }
        }
        var name = s.name ?? ""
        if name.hasPrefix("/") { name.removeFirst() }
        let id = s.id ?? ""
        let noData = s.read == nil || s.read?.hasPrefix("0001-") == true
        func size(_ v: Double) -> String { HumanUnits.size(v, precision: 3) }
        return .object([
            "Container": .string(container),
            "Name": .string(name.isEmpty ? "--" : name),
            "ID": .string(truncate ? Display.shortID(id) : id),
            "CPUPerc": .string(noData ? "--" : String(format: "%.2f%%", cpuPercent(s))),
            "MemUsage": .string(noData ? "-- / --" : "\(HumanUnits.binarySize(memory)) / \(HumanUnits.binarySize(limit))"),
            "MemPerc": .string(noData ? "--" : String(format: "%.2f%%", limit > 0 ? memory / limit * 100 : 0)),
            "NetIO": .string(noData ? "--" : "\(size(rx)) / \(size(tx))"),
            "BlockIO": .string(noData ? "--" : "\(size(read)) / \(size(write))"),
            "PIDs": .string(noData ? "--" : String(s.pidsStats?.current ?? 0)),
        ])
    }
}
