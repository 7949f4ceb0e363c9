import DockerAPI
import Foundation
import Testing
@testable import Client

/// docker's `ps`/`images` field values.
@Suite struct RowsTests {
    @Test func portsGroupSameNumberedRangesAndListOtherMappings() {
        let ports = [
            ContainerSummary.Port(ip: "0.0.0.0", privatePort: 80, publicPort: 80, type: "tcp"),
            ContainerSummary.Port(ip: "0.0.0.0", privatePort: 81, publicPort: 81, type: "tcp"),
            ContainerSummary.Port(ip: "::", privatePort: 80, publicPort: 80, type: "tcp"),
            ContainerSummary.Port(ip: "0.0.0.0", privatePort: 90, publicPort: 8080, type: "tcp"),
            ContainerSummary.Port(ip: "::", privatePort: 90, publicPort: 8080, type: "tcp"),
            ContainerSummary.Port(privatePort: 443, type: "tcp"),
        ]
        #expect(ContainerRows.ports(ports)
            == "0.0.0.0:80-81->80-81/tcp, :::80->80/tcp, 443/tcp, 0.0.0.0:8080->90/tcp, [::]:8080->90/tcp")
    }

    @Test func commandIsQuotedAndTruncated() {
        let c = ContainerSummary(id: String(repeating: "a", count: 64), names: ["/web"], image: "busybox", imageID: "sha256:1",
                                 command: "sh -c 'while true; do echo tick; done'", created: 0, state: "running", status: "Up 1 second")
        guard case .object(let row) = ContainerRows.row(c, truncate: true) else { Issue.record("not an object"); return }
        #expect(row["Command"] == .string("\"sh -c 'while true; …\""))
        #expect(row["ID"] == .string("aaaaaaaaaaaa"))
        #expect(row["Names"] == .string("web"))
        #expect(row["Size"] == .string("0B"))
    }

    @Test func imagesRowPerTagAndNoneForDangling() {
        let tagged = ImageSummary(id: "sha256:5a40baed3eddd909", repoTags: ["busybox:latest", "my/bb:v1"], created: 0, size: 1982424)
        #expect(ImageRows.rows(tagged, truncate: true).count == 2)
        guard case .object(let row) = ImageRows.rows(tagged, truncate: true)[1] else { return }
        #expect(row["Repository"] == .string("my/bb"))
        #expect(row["Tag"] == .string("v1"))
        #expect(row["ID"] == .string("5a40baed3edd"))
        #expect(row["Size"] == .string("1.98MB"))
        let dangling = ImageSummary(id: "sha256:ff", created: 0, size: 1)
        guard case .object(let none) = ImageRows.rows(dangling, truncate: true)[0] else { return }
        #expect(none["Repository"] == .string("<none>"))
        #expect(none["Tag"] == .string("<none>"))
    }

    @Test func referencesSplitAtTheRightColon() {
        #expect(Display.splitReference("localhost:5000/a:v1").repo == "localhost:5000/a")
        #expect(Display.splitReference("localhost:5000/a").tag == nil)
        #expect(Display.splitReference("a@sha256:ab").digest == "sha256:ab")
    }

    @Test func statsPercentages() {
        let stats = ContainerStats(
            read: "2026-01-01T00:00:01Z",
            cpuStats: .init(cpuUsage: .init(totalUsage: 200), systemCPUUsage: 2000, onlineCPUs: 2),
            precpuStats: .init(cpuUsage: .init(totalUsage: 100), systemCPUUsage: 1000),
            memoryStats: .init(usage: 2048, stats: ["inactive_file": 1024], limit: 4096))
        #expect(StatsRows.cpuPercent(stats) == 20)
        guard case .object(let row) = StatsRows.row(stats, container: "x") else { return }
        #expect(row["CPUPerc"] == .string("20.00%"))
        #expect(row["MemUsage"] == .string("1KiB / 4KiB"))
        #expect(row["MemPerc"] == .string("25.00%"))
    }
}
