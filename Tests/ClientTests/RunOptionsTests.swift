import DockerAPI
import Testing
@testable import Client

/// `run`/`create` flags → the create body, as docker's CLI translates them.
@Suite struct RunOptionsTests {
    func request(_ configure: (inout RunOptions) -> Void) throws -> ContainerCreateRequest {
        var options = RunOptions()
        options.image = "busybox"
        configure(&options)
        return try options.makeCreateRequest(environment: ["HOME": "/root"])
    }

    @Test func resources() throws {
        let r = try request { $0.memory = "512m"; $0.memorySwap = "-1"; $0.cpus = "1.5"; $0.pidsLimit = 100 }
        #expect(r.hostConfig?.memory == 536_870_912)
        #expect(r.hostConfig?.memorySwap == -1)
        #expect(r.hostConfig?.nanoCpus == 1_500_000_000)
        #expect(r.hostConfig?.pidsLimit == 100)
    }

    @Test func badMemoryNamesTheFlag() {
        do {
            _ = try request { $0.memory = "abc" }
            Issue.record("expected an error")
        } catch let error as FlagError {
            #expect(error.description == "invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func restartPolicy() throws {
        let r = try request { $0.restart = "on-failure:3" }
        #expect(r.hostConfig?.restartPolicy == RestartPolicy(name: "on-failure", maximumRetryCount: 3))
        #expect(try request { _ in }.hostConfig?.restartPolicy == RestartPolicy(name: "no", maximumRetryCount: 0))
        #expect(throws: FlagError.self) { try request { $0.restart = "always:3" } }
    }

    @Test func volumesMountsAndTmpfs() throws {
        let r = try request {
            $0.volumes = ["name:/data:ro", "/anon"]
            $0.mounts = ["type=bind,source=/src,target=/dst,readonly"]
            $0.tmpfs = ["/run:size=64m"]
        }
        #expect(r.hostConfig?.binds == ["name:/data:ro"])
        #expect(r.config.volumes == ["/anon": EmptyObject()])
        #expect(r.hostConfig?.mounts == [Mount(target: "/dst", source: "/src", type: "bind", readOnly: true)])
        #expect(r.hostConfig?.tmpfs == ["/run": "size=64m"])
    }

    @Test func publishedPortsAreExposedToo() throws {
        let r = try request { $0.publish = ["8080:80/tcp", "127.0.0.1:9000-9001:9000-9001/udp"]; $0.expose = ["7000"] }
        #expect(r.hostConfig?.portBindings?["80/tcp"] == [PortBinding(hostIp: "", hostPort: "8080")])
        #expect(r.hostConfig?.portBindings?["9001/udp"] == [PortBinding(hostIp: "127.0.0.1", hostPort: "9001")])
        #expect(Set(r.config.exposedPorts?.keys.map { $0 } ?? []) == ["80/tcp", "9000/udp", "9001/udp", "7000/tcp"])
    }

    @Test func ulimitsAndCapabilities() throws {
        let r = try request { $0.ulimits = ["nofile=1024:2048", "nproc=50"]; $0.capAdd = ["net_admin"]; $0.capDrop = ["ALL"] }
        #expect(r.hostConfig?.ulimits == [Ulimit(name: "nofile", soft: 1024, hard: 2048), Ulimit(name: "nproc", soft: 50, hard: 50)])
        #expect(r.hostConfig?.capAdd == ["CAP_NET_ADMIN"])
        #expect(r.hostConfig?.capDrop == ["ALL"])
    }

    @Test func envTakesBareNamesFromOurEnvironment() throws {
        let r = try request { $0.env = ["A=1", "HOME", "UNSET"] }
        #expect(r.config.env == ["A=1", "HOME=/root", "UNSET"])
    }

    @Test func attachDefaultsFollowDetachAndInteractive() throws {
        let attached = try request { $0.interactive = true; $0.tty = true }
        #expect(attached.config.attachStdin == true)
        #expect(attached.config.stdinOnce == true)
        #expect(attached.config.openStdin == true)
        let detached = try request { $0.detach = true; $0.interactive = true }
        #expect(detached.config.attachStdout == false)
        #expect(detached.config.openStdin == true)
    }

    @Test func entrypointEmptyClearsIt() throws {
        #expect(try request { $0.entrypoint = "" }.config.entrypoint == [""])
        #expect(try request { _ in }.config.entrypoint == nil)
    }

    @Test func cpusParsesExactly() throws {
        #expect(try FlagParsers.nanoCPUs("0.000000001") == 1)
        #expect(try FlagParsers.nanoCPUs("2") == 2_000_000_000)
        #expect(throws: FlagError.self) { try FlagParsers.nanoCPUs("abc") }
    }

    @Test func portSpecErrors() {
        #expect(throws: FlagError.self) { try PortSpec.parsePublish("99999:80") }
        #expect(throws: FlagError.self) { try PortSpec.parsePublish("80/xyz") }
        #expect((try? PortSpec.parsePublish("[::1]:80:80"))?.first?.binding.hostIp == "::1")
    }
}
