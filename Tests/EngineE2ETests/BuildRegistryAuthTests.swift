// Builds whose base image sits in a registry that wants credentials: the berth CLI sends its stored
// logins as X-Registry-Config (as the docker CLI does), berthd pulls a missing base (or, with
// --pull, any base) with the credentials for its registry.
import Foundation
import Testing

extension RegistryE2E {
    @Test func buildPullsAPrivateBaseWithTheStoredCredentials() throws {
        let d = try currentDaemon()
        let registry = try ReferenceRegistry.start(user: "carol", password: "b4se-pw")
        defer { registry.stop() }
        let base = "\(registry.domain)/e2e/private-base:v1"
        try Self.makeImage(d, base, marker: "private base")
        let login = Self.berth(d, ["login", "-u", "carol", "--password-stdin", registry.domain], stdin: "b4se-pw\n")
        #expect(login.status == 0, "\(login)")
        #expect(Self.berth(d, ["push", base]).status == 0)
        #expect(d.docker("rmi", base).status == 0)

        let context = d.dir + "/" + uniqueName("authctx")
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: context) }
        try "FROM \(base)\nRUN cp /marker /seen\n".write(toFile: context + "/Dockerfile", atomically: true, encoding: .utf8)
        let tag = uniqueName("authbuilt").lowercased() + ":1"
        defer { d.docker("rmi", "-f", tag) }

        // The base is missing: pulled with carol's credentials.
        let missing = Self.berth(d, ["build", "-t", tag, context])
        #expect(missing.status == 0, "\(missing)")
        #expect(missing.stdout.contains(": Pull complete") && missing.stdout.contains("Status: Downloaded newer image"),
                "the pull's progress is part of the build's output: \(missing)")
        #expect(d.docker("run", "--rm", tag, "cat", "/seen").stdout == "private base\n")
        // --pull asks the registry again, with the credentials.
        let pulled = Self.berth(d, ["build", "--pull", "-t", tag, context])
        #expect(pulled.status == 0, "\(pulled)")

        // Without credentials the registry refuses, and the build says so on the FROM line.
        #expect(Self.berth(d, ["logout", registry.domain]).status == 0)
        d.docker("rmi", "-f", tag)
        #expect(d.docker("rmi", base).status == 0)
        let anonymous = Self.berth(d, ["build", "-t", tag, context])
        #expect(anonymous.status != 0, "\(anonymous)")
        #expect(anonymous.stderr.contains("Dockerfile:1:") && anonymous.stderr.contains("No such image: \(base)")
                && anonymous.stderr.lowercased().contains("unauthorized"), "\(anonymous)")

        // The docker CLI's legacy builder sends its own X-Registry-Config after `docker login`.
        let dockerLogin = d.docker(["login", "-u", "carol", "--password-stdin", registry.domain], stdin: Data("b4se-pw\n".utf8))
        #expect(dockerLogin.status == 0, "\(dockerLogin)")
        defer { d.docker("logout", registry.domain) }
        var env = d.environment
        env["DOCKER_BUILDKIT"] = "0"
        let docker = runCommand(["docker", "build", "-t", tag, context], environment: env, timeout: 120)
        #expect(docker.status == 0, "\(docker)")
        #expect(d.docker("run", "--rm", tag, "cat", "/seen").stdout == "private base\n")
    }
}
