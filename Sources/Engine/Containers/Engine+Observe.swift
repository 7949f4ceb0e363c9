import Cgroups
import DockerAPI
import Foundation
import Glibc

extension Engine {
    /// Exec IDs of a container's execs still known.
    public func execIDs(of containerID: String) -> [String] {
        execs.values.filter { $0.containerID == containerID }.map(\.id)
    }

    /// Bytes in the container's writable layer.
    public func containerSize(_ id: String) -> Int64 {
        guard let directory = try? images.containerDirectory(id) else { return 0 }
        return DiskUsage.size(of: directory + "/upper")
    }

    /// The container's cgroup (`/berth/<id>`, the spec builder's convention, unless CgroupParent).
    nonisolated func cgroup(_ record: ContainerRecord) -> Cgroup? {
        let parent = record.hostConfig.cgroupParent.flatMap { $0.isEmpty ? nil : $0 } ?? "/berth"
        return try? Cgroup(cgroupsPath: (parent.hasPrefix("/") ? parent : "/" + parent) + "/" + record.id, containerID: record.id)
    }

    /// `docker top`: `ps` on the host, limited to the container's processes.
    public func top(_ reference: String, psArguments: String) async throws(EngineError) -> TopResponse {
        let record = try lookup(reference)
        guard record.isRunning else { throw EngineError(.conflict, "Container \(record.id) is not running") }
        let pids = Set((try? cgroup(record)?.pids()) ?? [])
        let argv = ["/bin/ps"] + psArguments.split(separator: " ").map(String.init)
        let result: ChildProcess.Result
        do { result = try await Blocking.run { try ChildProcess.run(argv) } } catch {
            throw EngineError.system("ps: \(error)")
        }
        guard result.succeeded else { throw EngineError.system("Error running ps: \(result.output)") }
        let lines = result.output.split(separator: "\n").map(String.init)
        guard let header = lines.first else { return TopResponse(titles: [], processes: []) }
        let titles = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let pidColumn = titles.firstIndex(of: "PID") else {
            throw EngineError.system("Couldn't find PID field in ps output")
        }
        var processes: [[String]] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ", maxSplits: titles.count - 1, omittingEmptySubsequences: true).map(String.init)
            guard fields.count > pidColumn, let pid = Int32(fields[pidColumn]), pids.contains(pid) else { continue }
            processes.append(fields)
        }
        return TopResponse(titles: titles, processes: processes)
    }

    /// One stats sample from the container's cgroup (v1 or v2); `previous` fills `precpu_stats`.
    public func stats(_ reference: String, previous: ContainerStats?) -> ContainerStats {
        guard let record = try? lookup(reference) else { return ContainerStats() }
        let now = Timestamp.now()
        var sample = ContainerStats(name: "/" + record.name, id: record.id, read: now.rfc3339,
                                    preread: previous?.read ?? Timestamp.zeroString)
        let online = UInt32(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard record.isRunning, let cgroup = cgroup(record), let s = try? cgroup.stats() else {
            sample.cpuStats = ContainerStats.CPUStats(cpuUsage: .init(totalUsage: 0), systemCPUUsage: Self.systemCPU(), onlineCPUs: online)
            sample.precpuStats = previous?.cpuStats ?? ContainerStats.CPUStats()
            sample.memoryStats = ContainerStats.MemoryStats()
            sample.pidsStats = ContainerStats.PidsStats()
            return sample
        }
        sample.cpuStats = ContainerStats.CPUStats(
            cpuUsage: .init(totalUsage: s.cpuUsageNanoseconds ?? 0, usageInKernelmode: s.cpuSystemNanoseconds ?? 0,
                            usageInUsermode: s.cpuUserNanoseconds ?? 0),
            systemCPUUsage: Self.systemCPU(), onlineCPUs: online)
        sample.precpuStats = previous?.cpuStats ?? ContainerStats.CPUStats()
        var limit = s.memoryLimit ?? 0
        if limit == 0 || limit > UInt64(1) << 60 { limit = UInt64(sysconf(Int32(_SC_PHYS_PAGES))) * UInt64(sysconf(Int32(_SC_PAGESIZE))) }
        sample.memoryStats = ContainerStats.MemoryStats(usage: s.memoryUsage ?? 0, stats: s.memoryStat, limit: limit)
        sample.pidsStats = ContainerStats.PidsStats(current: s.pidsCurrent ?? 0, limit: s.pidsLimit)
        sample.blkioStats = ContainerStats.BlkioStats()
        return sample
    }

    /// Host CPU time in nanoseconds from /proc/stat (docker's system_cpu_usage).
    nonisolated static func systemCPU() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().prefix(7).compactMap { UInt64($0) }.reduce(0, +)
        let hz = UInt64(sysconf(Int32(_SC_CLK_TCK)))
        return ticks * (1_000_000_000 / max(hz, 1))
    }
}
