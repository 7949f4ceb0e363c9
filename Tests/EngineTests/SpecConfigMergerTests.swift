import DockerAPI
import OCI
import Testing
@testable import Engine

@Suite struct SpecConfigMergerTests {
    func config(entrypoint: [String]? = nil, cmd: [String]? = nil, env: [String]? = nil) -> DockerAPI.ContainerConfig {
        var c = DockerAPI.ContainerConfig()
        c.entrypoint = entrypoint
        c.cmd = cmd
        c.env = env
        return c
    }

    @Test func imageCmdUsedWhenContainerGivesNothing() throws {
        let merged = try ConfigMerger.merge(config(), image: OCI.ContainerConfig(entrypoint: ["/entry"], cmd: ["sh"]))
        #expect(try ConfigMerger.command(of: merged) == ["/entry", "sh"])
    }

    @Test func containerCmdReplacesImageCmdKeepingImageEntrypoint() throws {
        let merged = try ConfigMerger.merge(config(cmd: ["ls", "-l"]), image: OCI.ContainerConfig(entrypoint: ["/entry"], cmd: ["sh"]))
        #expect(try ConfigMerger.command(of: merged) == ["/entry", "ls", "-l"])
    }

    @Test func containerEntrypointDropsImageCmd() throws {
        let merged = try ConfigMerger.merge(config(entrypoint: ["/bin/echo"]), image: OCI.ContainerConfig(entrypoint: ["/entry"], cmd: ["sh"]))
        #expect(try ConfigMerger.command(of: merged) == ["/bin/echo"])
    }

    @Test func containerEntrypointAndCmdBothUsed() throws {
        let merged = try ConfigMerger.merge(config(entrypoint: ["/bin/echo"], cmd: ["hi"]), image: OCI.ContainerConfig(cmd: ["sh"]))
        #expect(try ConfigMerger.command(of: merged) == ["/bin/echo", "hi"])
    }

    @Test func emptyEntrypointResetsImageEntrypointButKeepsImageCmd() throws {
        let image = OCI.ContainerConfig(entrypoint: ["/entry"], cmd: ["sh"])
        for reset in [[String](), [""]] {
            let merged = try ConfigMerger.merge(config(entrypoint: reset), image: image)
            #expect(try ConfigMerger.command(of: merged) == ["sh"])
        }
    }

    @Test func noCommandIsAnError() {
        #expect(throws: SpecBuildError.noCommand) {
            try ConfigMerger.merge(config(), image: OCI.ContainerConfig(env: ["A=1"]))
        }
        #expect(SpecBuildError.noCommand.description == "no command specified")
    }

    @Test func containerEnvOverridesImageEnvByKey() throws {
        let merged = try ConfigMerger.merge(
            config(cmd: ["x"], env: ["B=container", "C=3"]),
            image: OCI.ContainerConfig(env: ["A=1", "B=image", "PATH=/opt/bin"]))
        #expect(merged.env == ["B=container", "C=3", "A=1", "PATH=/opt/bin"])
        let env = ConfigMerger.processEnvironment(merged, hostname: "abc", home: "/root")
        #expect(env == ["PATH=/opt/bin", "HOSTNAME=abc", "B=container", "C=3", "A=1", "HOME=/root"])
    }

    @Test func defaultPathHostnameAndTermWithTty() throws {
        var c = config(cmd: ["x"], env: ["HOME=/home/me"])
        c.tty = true
        let env = ConfigMerger.processEnvironment(c, hostname: "h", home: "/root")
        #expect(env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=h", "TERM=xterm", "HOME=/home/me"])
    }

    @Test func entryWithoutEqualsRemovesVariable() {
        let env = ConfigMerger.processEnvironment(config(env: ["PATH"]), hostname: "h", home: nil)
        #expect(env == ["HOSTNAME=h"])
    }

    @Test func workingDirUserStopSignalLabelsPortsVolumes() throws {
        var c = config(cmd: ["x"])
        c.labels = ["a": "container"]
        c.exposedPorts = ["80/tcp": .init()]
        let image = OCI.ContainerConfig(
            user: "app", exposedPorts: ["443/tcp": .init()], volumes: ["/data": .init()], workingDir: "/srv",
            labels: ["a": "image", "b": "image"], stopSignal: "SIGQUIT")
        let merged = try ConfigMerger.merge(c, image: image)
        #expect(merged.user == "app")
        #expect(merged.workingDir == "/srv")
        #expect(ConfigMerger.stopSignal(of: merged) == "SIGQUIT")
        #expect(merged.labels == ["a": "container", "b": "image"])
        #expect(Set(merged.exposedPorts?.keys ?? [:].keys) == ["80/tcp", "443/tcp"])
        #expect(Set(merged.volumes?.keys ?? [:].keys) == ["/data"])

        let bare = try ConfigMerger.merge(config(cmd: ["x"]), image: nil)
        #expect(ConfigMerger.workingDirectory(of: bare) == "/")
        #expect(ConfigMerger.stopSignal(of: bare) == "SIGTERM")
    }
}
