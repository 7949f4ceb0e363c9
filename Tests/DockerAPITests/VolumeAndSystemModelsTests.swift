import DockerAPI
import Foundation
import Testing

/// Decoding of volume, system, event and stats models from dockerd-shaped JSON.
@Suite struct VolumeAndSystemModelsTests {
    @Test func volumeListToleratesNullLabelsAndOptions() throws {
        let json = """
        {"Volumes":[{"CreatedAt":"2026-11-25T22:16:39Z","Driver":"local","Labels":null,"Mountpoint":"/v/v1/_data",\
        "Name":"v1","Options":null,"Scope":"local"}],"Warnings":null}
        """
        let list = try JSONDecoder().decode(VolumeListResponse.self, from: Data(json.utf8))
        #expect(list.volumes.count == 1)
        #expect(list.volumes[0].name == "v1")
        #expect(list.volumes[0].labels == [:])
        #expect(list.volumes[0].options == [:])
        #expect(list.warnings == nil)
    }

    @Test func volumeCreateOptionsEncodeDockerNames() throws {
        let data = try JSONEncoder().encode(VolumeCreateOptions(name: "v", driver: "local", labels: ["a": "b"]))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["Name"] as? String == "v")
        #expect(object?["Driver"] as? String == "local")
        #expect((object?["Labels"] as? [String: String]) == ["a": "b"])
    }

    @Test func versionDecodesComponents() throws {
        let json = """
        {"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24","Details":{"ApiVersion":"1.41","Experimental":"false"}}],\
        "Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84","GoVersion":"go1.19.8","Os":"linux",\
        "Arch":"amd64","KernelVersion":"6.1","BuildTime":"2026-05-07T21:09:36.000000000+00:00"}
        """
        let version = try JSONDecoder().decode(SystemVersion.self, from: Data(json.utf8))
        #expect(version.apiVersion == "1.41")
        #expect(version.components?.first?.details?["ApiVersion"] == "1.41")
        #expect(version.minAPIVersion == "1.12")
    }

    @Test func infoDecodesWhatDockerInfoPrints() throws {
        let json = """
        {"ID":"X","Containers":4,"ContainersRunning":1,"ContainersPaused":0,"ContainersStopped":3,"Images":1,"Driver":"vfs",\
        "DriverStatus":[["Backing Filesystem","extfs"]],"Plugins":{"Volume":["local"],"Network":["null"],"Authorization":null,"Log":["json-file"]},\
        "NCPU":2,"MemTotal":25275420672,"CgroupVersion":"1","Runtimes":{"runc":{"path":"runc"}},"ContainerdCommit":{"ID":"abc","Expected":"abc"},\
        "SecurityOptions":["name=seccomp,profile=default"],"Warnings":null,"Swarm":{"LocalNodeState":"inactive"}}
        """
        let info = try JSONDecoder().decode(SystemInfo.self, from: Data(json.utf8))
        #expect(info.containers == 4)
        #expect(info.driverStatus == [["Backing Filesystem", "extfs"]])
        #expect(info.plugins?.volume == ["local"])
        #expect(info.runtimes?["runc"]?.path == "runc")
        #expect(info.containerdCommit?.id == "abc")
        #expect(info.memTotal == 25275420672)
    }

    @Test func eventMessageKeepsLegacyFields() throws {
        let json = """
        {"status":"start","id":"35a9","from":"busybox","Type":"container","Action":"start",\
        "Actor":{"ID":"35a9","Attributes":{"image":"busybox","name":"n"}},"scope":"local","time":1795645026,"timeNano":1795645026710499654}
        """
        let event = try JSONDecoder().decode(EventMessage.self, from: Data(json.utf8))
        #expect(event.type == "container")
        #expect(event.action == "start")
        #expect(event.actor.attributes["name"] == "n")
        #expect(event.timeNano == 1795645026710499654)
        #expect(event.status == "start")
        #expect(event.from == "busybox")
    }

    @Test func eventWithoutAttributesDecodes() throws {
        let json = #"{"Type":"volume","Action":"create","Actor":{"ID":"v1","Attributes":null},"time":5,"timeNano":5000000000}"#
        let event = try JSONDecoder().decode(EventMessage.self, from: Data(json.utf8))
        #expect(event.actor.attributes == [:])
        #expect(event.scope == nil)
    }

    @Test func statsDecodeCgroupV1Sample() throws {
        let json = """
        {"read":"2026-11-25T22:20:18.841339249Z","preread":"2026-11-25T22:20:17.837837742Z","pids_stats":{"current":1},\
        "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":4096}],"io_serviced_recursive":null},\
        "num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":30545809,"percpu_usage":[13019190,17526619],\
        "usage_in_kernelmode":10000000,"usage_in_usermode":10000000},"system_cpu_usage":21413550000000,"online_cpus":2,\
        "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0},\
        "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{"usage":540672,"max_usage":4083712,\
        "stats":{"total_inactive_file":0,"hierarchical_memory_limit":9223372036854771712},"limit":25275420672},\
        "name":"/st","id":"e1f2","networks":{"eth0":{"rx_bytes":10,"tx_bytes":20,"rx_packets":1}}}
        """
        let stats = try JSONDecoder().decode(ContainerStats.self, from: Data(json.utf8))
        #expect(stats.name == "/st")
        #expect(stats.cpuStats?.cpuUsage?.percpuUsage?.count == 2)
        #expect(stats.cpuStats?.onlineCPUs == 2)
        #expect(stats.precpuStats?.systemCPUUsage == nil)
        #expect(stats.memoryStats?.stats?["hierarchical_memory_limit"] == 9223372036854771712)
        #expect(stats.blkioStats?.ioServiceBytesRecursive?.first?.op == "Read")
        #expect(stats.networks?["eth0"]?.txBytes == 20)
        #expect(stats.pidsStats?.current == 1)
    }

    @Test func statsEncodeSnakeCaseNames() throws {
        let stats = ContainerStats(cpuStats: .init(cpuUsage: .init(totalUsage: 1), systemCPUUsage: 2, onlineCPUs: 1))
        let text = String(decoding: try JSONEncoder().encode(stats), as: UTF8.self)
        #expect(text.contains("\"cpu_stats\""))
        #expect(text.contains("\"total_usage\""))
        #expect(text.contains("\"system_cpu_usage\""))
        #expect(text.contains("\"online_cpus\""))
    }
}
