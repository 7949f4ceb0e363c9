import Foundation
import Testing

@testable import OCI

/// An image config as `docker build` (classic builder) writes it: extra keys, nulls, healthcheck, ports.
private let dockerImageConfigJSON = """
{"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"nginx","AttachStdin":false,
"AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"443/tcp":{},"80/tcp":{}},"Tty":false,
"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NGINX_VERSION=1.25.3"],
"Cmd":["nginx","-g","daemon off;"],"Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"],
"Interval":30000000000,"Timeout":5000000000,"StartPeriod":10000000000,"StartInterval":2000000000,"Retries":3},
"ArgsEscaped":true,"Image":"sha256:4b4e1b8f0d7b7f0b6f7e3a1a0e0f7c1f3e5c9a2b1d0e4f6a8b9c7d5e3f1a2b4c","Volumes":{"/var/cache/nginx":{}},
"WorkingDir":"/usr/share/nginx/html","Entrypoint":["/docker-entrypoint.sh"],"OnBuild":null,
"Labels":{"maintainer":"NGINX Docker Maintainers <docker-maint@nginx.com>"},"StopSignal":"SIGQUIT","Shell":["/bin/bash","-c"]},
"container":"6c0bd8b8a0c4d6d1e0fd6e7c4b8d6a8b1c1ef6e8d2f2f1a8f0e4b8c2d1e0f6a7",
"container_config":{"Hostname":"6c0bd8b8a0c4","Cmd":["/bin/sh","-c","#(nop) ","STOPSIGNAL SIGQUIT"],"Image":"sha256:4b4e"},
"created":"2023-11-01T20:41:57.123456789Z","docker_version":"20.10.23",
"history":[{"created":"2023-11-01T01:20:21.134706467Z","created_by":"/bin/sh -c #(nop) ADD file:0b1a2c3d in / "},
{"created":"2023-11-01T01:20:21.604317412Z","created_by":"/bin/sh -c #(nop)  CMD [\\"bash\\"]","empty_layer":true},
{"created":"2023-11-01T20:41:57.123456789Z","created_by":"RUN /bin/sh -c apt-get update # buildkit","comment":"buildkit.dockerfile.v0","author":"someone"}],
"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:571ade696b261f0ff46e3cdcb84f1c3c2c9f5f8d2d28ecf2e2ae4ad4e1b8d9d2",
"sha256:b8f9e3a1c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6"]}}
"""

@Test func dockerImageConfigDecodesRunDefaultsAndHealthcheck() throws {
    let image = try ImageConfig.decode(from: Data(dockerImageConfigJSON.utf8))
    #expect(image.architecture == "amd64")
    #expect(image.os == "linux")
    #expect(image.platform == Platform(architecture: "amd64", os: "linux"))
    #expect(image.created == "2023-11-01T20:41:57.123456789Z")
    let config = try #require(image.config)
    #expect(config.user == "nginx")
    #expect(config.exposedPorts.map { Set($0.keys) } == ["80/tcp", "443/tcp"])
    #expect(config.volumes == ["/var/cache/nginx": EmptyObject()])
    #expect(config.env?.count == 2)
    #expect(config.entrypoint == ["/docker-entrypoint.sh"])
    #expect(config.cmd == ["nginx", "-g", "daemon off;"])
    #expect(config.workingDir == "/usr/share/nginx/html")
    #expect(config.labels?["maintainer"] == "NGINX Docker Maintainers <docker-maint@nginx.com>")
    #expect(config.stopSignal == "SIGQUIT")
    #expect(config.argsEscaped == true)
    #expect(config.onBuild == nil)
    #expect(config.shell == ["/bin/bash", "-c"])
    #expect(config.healthcheck == Healthcheck(
        test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
        interval: 30_000_000_000, timeout: 5_000_000_000, startPeriod: 10_000_000_000,
        startInterval: 2_000_000_000, retries: 3))
    #expect(image.rootfs.type == "layers")
    #expect(image.rootfs.diffIDs.count == 2)
    #expect(image.rootfs.diffIDs[0].encoded.hasPrefix("571ade69"))
    let history = try #require(image.history)
    #expect(history.count == 3)
    #expect(history[1].emptyLayer == true)
    #expect(history[1].createdBy == #"/bin/sh -c #(nop)  CMD ["bash"]"#)
    #expect(history[2].comment == "buildkit.dockerfile.v0")
    #expect(history[2].author == "someone")
}

@Test func imageConfigRoundTripsAndDropsUnknownKeys() throws {
    let image = try ImageConfig.decode(from: Data(dockerImageConfigJSON.utf8))
    let data = try image.encoded()
    let text = String(decoding: data, as: UTF8.self)
    #expect(try ImageConfig.decode(from: data) == image)
    #expect(!text.contains("container_config"))
    #expect(!text.contains("docker_version"))
    #expect(!text.contains("null"))
    #expect(text.contains(#""ExposedPorts":{"443/tcp":{},"80/tcp":{}}"#))
    #expect(text.contains(#""diff_ids":["sha256:571ade"#))
    #expect(text.contains(#""empty_layer":true"#))
}

@Test func ociImageConfigWithPlatformFieldsRoundTrips() throws {
    let image = ImageConfig(
        created: "2024-01-01T00:00:00Z", architecture: "arm64", os: "linux", osVersion: "6.1", osFeatures: ["x"], variant: "v8",
        config: ContainerConfig(exposedPorts: ["8080/tcp": EmptyObject()], cmd: ["/app"]),
        rootfs: RootFS(diffIDs: [try Digest(parsing: "sha256:" + String(repeating: "e", count: 64))]),
        history: [History(createdBy: "COPY app /app")])
    let text = String(decoding: try image.encoded(), as: UTF8.self)
    #expect(text.contains(#""os.version":"6.1""#))
    #expect(text.contains(#""os.features":["x"]"#))
    #expect(text.contains(#""rootfs":{"diff_ids":["sha256:eeee"#))
    #expect(try ImageConfig.decode(from: try image.encoded(prettyPrinted: true)) == image)
    #expect(image.platform.description == "linux/arm64/v8")
}

@Test func minimalConfigWithoutRunDefaultsDecodes() throws {
    let image = try ImageConfig.decode(from: Data(#"{"architecture":"amd64","os":"linux","config":null,"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8))
    #expect(image.config == nil)
    #expect(image.history == nil)
    #expect(image.rootfs.diffIDs.isEmpty)
}

@Test func imageConfigErrorsNameThePath() {
    func failure(_ json: String) -> String? {
        do {
            _ = try ImageConfig.decode(from: Data(json.utf8))
            return nil
        } catch {
            return error.description
        }
    }
    #expect(failure(#"{"architecture":"amd64","os":"linux"}"#) == "image config: rootfs: required field is missing")
    #expect(failure(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["md5:00"]}}"#)
        == #"image config: rootfs.diff_ids[0]: invalid digest "md5:00": unsupported algorithm "md5" (expected sha256 or sha512)"#)
    #expect(failure(#"{"architecture":"amd64","os":"linux","config":{"ExposedPorts":{"80/tcp":true}},"rootfs":{"type":"layers","diff_ids":[]}}"#)
        == "image config: config.ExposedPorts.80/tcp: expected an object")
    #expect(failure(#"{"architecture":"amd64","os":"linux","config":{"Healthcheck":{"Retries":1.5}},"rootfs":{"type":"layers","diff_ids":[]}}"#)?
        .hasPrefix("image config: config.Healthcheck.Retries") == true)
}
