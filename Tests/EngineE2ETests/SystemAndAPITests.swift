// docker version / info, and raw Engine API requests the CLI never sends (malformed
// bodies, status codes it hides): berthd answers docker's errors and keeps serving.
import Foundation
import Testing

extension EngineE2E {
    @Suite("system and raw API") struct SystemAndAPI {
        @Test func versionReportsAPI147() throws {
            let d = try currentDaemon()
            let full = d.dockerOK("version")
            #expect(full.stderr.isEmpty, "\(full)")
            let server = try #require(full.stdout.range(of: "\nServer"), "no Server section: \(full)")
            let serverPart = String(full.stdout[server.upperBound...])
            #expect(matches(serverPart, #"\n +API version: +1\.47 \(minimum version 1\.\d+\)"#), "\(full)")
            #expect(matches(serverPart, #"\n +Version: +\S+"#), "\(full)")
            #expect(d.dockerOK("version", "--format", "{{.Server.APIVersion}}").out == "1.47")
            // The client negotiated down to the daemon's version.
            #expect(d.dockerOK("version", "--format", "{{.Client.APIVersion}}").out == "1.47")
        }

        @Test func infoDescribesTheDaemon() throws {
            let d = try currentDaemon()
            let text = d.dockerOK("info")
            #expect(text.stdout.contains("Server Version:"), "\(text)")
            #expect(text.stdout.contains(" Containers: "), "\(text)")
            #expect(!text.stdout.contains("ERROR") && !text.stderr.contains("ERROR"), "\(text)")
            let json = d.dockerOK("info", "--format", "{{json .}}")
            let info = try #require(parseJSON(json.out) as? [String: Any])
            #expect((info["ServerVersion"] as? String)?.isEmpty == false, "\(info)")
            #expect(info["OSType"] as? String == "linux")
            #expect(info["Driver"] as? String == "overlay2")
            #expect(info["LoggingDriver"] as? String == "json-file")
            #expect((info["Images"] as? Int ?? 0) >= 1, "busybox was imported: \(info["Images"] ?? "nil")")
            #expect((info["NCPU"] as? Int ?? 0) >= 1)
            #expect((info["MemTotal"] as? Int ?? 0) > 0)
            #expect(info["DockerRootDir"] as? String == d.root)
            #expect(info["Containers"] is Int)
        }

        @Test func invalidJSONIs400WithAMessage() throws {
            let d = try currentDaemon()
            let r = try d.api("POST", "/v1.47/containers/create", json: "{not json")
            #expect(r.status == 400, "\(r)")
            #expect(r.headers["content-type"]?.hasPrefix("application/json") == true, "\(r)")
            let message = (r.json as? [String: Any])?["message"] as? String
            #expect(message?.isEmpty == false, "docker's {\"message\": …} error body: \(r)")
            #expect(d.ping(), "the daemon keeps serving")
        }

        @Test func wrongFieldTypeIs400() throws {
            let d = try currentDaemon()
            let r = try d.api("POST", "/v1.47/containers/create", json: #"{"Image":"busybox","Cmd":"not-a-list","Tty":"yes"}"#)
            #expect(r.status == 400, "\(r)")
            #expect((r.json as? [String: Any])?["message"] is String, "\(r)")
            #expect(d.ping())
        }

        @Test func unknownContainerIs404NoSuchContainer() throws {
            let d = try currentDaemon()
            let r = try d.api("GET", "/v1.47/containers/x/json")
            #expect(r.status == 404, "\(r)")
            #expect((r.json as? [String: Any])?["message"] as? String == "No such container: x", "\(r)")
            let cli = d.docker("logs", "x")
            #expect(cli.status == 1)
            #expect(cli.stderr == "Error response from daemon: No such container: x\n", "\(cli)")
            let inspect = d.docker("inspect", "x")
            #expect(inspect.status == 1)
            #expect(inspect.stderr.contains("Error: No such object: x"), "\(inspect)")
        }

        @Test func startingARunningContainerIs304() throws {
            let d = try currentDaemon()
            let name = uniqueName("304")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "600")
            let start = try d.api("POST", "/v1.47/containers/\(name)/start")
            #expect(start.status == 304, "\(start)")
            #expect(start.body.isEmpty)
            d.dockerOK("stop", "-t", "0", name)
            let stop = try d.api("POST", "/v1.47/containers/\(name)/stop")
            #expect(stop.status == 304, "stopping a stopped container: \(stop)")
            #expect(d.ping())
        }

        /// docker 28 validates `condition` before it starts the response: 400 `invalid condition: "bogus"`.
        @Test func waitWithAnInvalidConditionIs400() throws {
            let d = try currentDaemon()
            let name = uniqueName("waitcond")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("create", "--name", name, "busybox", "true")
            let r = try d.api("POST", "/v1.47/containers/\(name)/wait?condition=bogus")
            #expect(r.status == 400, "\(r)")
            #expect((r.json as? [String: Any])?["message"] as? String == "invalid condition: \"bogus\"", "\(r)")
        }

        @Test func errorsOfCommonMistakes() throws {
            let d = try currentDaemon()
            let noImage = try d.api("POST", "/v1.47/containers/create", json: #"{"Image":"e2e-nosuch-img:1"}"#)
            #expect(noImage.status == 404, "\(noImage)")
            #expect((noImage.json as? [String: Any])?["message"] as? String == "No such image: e2e-nosuch-img:1")
            let noExec = try d.api("GET", "/v1.47/exec/e2e-nosuch-exec/json")
            #expect(noExec.status == 404, "\(noExec)")
            #expect((noExec.json as? [String: Any])?["message"] as? String == "No such exec instance: e2e-nosuch-exec")
            let badFilter = try d.api("GET", "/v1.47/containers/json?filters=%7Bbad")
            #expect(badFilter.status == 400, "\(badFilter)")
            let name = uniqueName("badsig")
            defer { d.docker("rm", "-f", name) }
            d.dockerOK("run", "-d", "--name", name, "busybox", "sleep", "1000")
            let badSignal = try d.api("POST", "/v1.47/containers/\(name)/kill?signal=BOGUS")
            #expect(badSignal.status == 400, "\(badSignal)")
            #expect((badSignal.json as? [String: Any])?["message"] as? String == "Invalid signal: BOGUS")
            let noStream = try d.api("GET", "/v1.47/containers/\(name)/logs")
            #expect(noStream.status == 400, "\(noStream)")
            #expect((noStream.json as? [String: Any])?["message"] as? String == "Bad parameters: you must choose at least one stream")
            let cli = d.docker("kill", "-s", "BOGUS", name)
            #expect(cli.status == 1 && cli.stderr.contains("Invalid signal: BOGUS"), "\(cli)")
            #expect(d.ping())
        }

        @Test func unknownEndpointIs404AndPingStillAnswers() throws {
            let d = try currentDaemon()
            let r = try d.api("GET", "/v1.47/no/such/endpoint")
            #expect(r.status == 404, "\(r)")
            let ping = try d.api("GET", "/_ping")
            #expect(ping.status == 200 && ping.text == "OK", "\(ping)")
            #expect(ping.headers["api-version"] == "1.47", "\(ping)")
            let head = try d.api("HEAD", "/_ping")
            #expect(head.status == 200, "\(head)")
        }
    }
}
