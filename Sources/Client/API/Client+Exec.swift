import DockerAPI
import Foundation

extension BerthClient {
    /// `POST /containers/{id}/exec`.
    public func createExec(_ container: String, _ body: ExecCreateRequest) throws -> IDResponse {
        let response = try send("POST", Self.path(container) + "/exec", json: body)
        return try Self.decodeBody(IDResponse.self, try response.body.readAll(), what: "exec create response")
    }

    /// `POST /exec/{id}/start`, hijacked (interactive or attached).
    public func startExecAttached(_ id: String, tty: Bool, consoleSize: [Int]? = nil) throws -> HijackedStream {
        var body = ExecStartRequest(detach: false, tty: tty)
        body.consoleSize = consoleSize
        return try hijack("/exec/" + percentEncode(id) + "/start", json: try JSONEncoder().encode(body))
    }

    /// `POST /exec/{id}/start` with `Detach: true`.
    public func startExecDetached(_ id: String, tty: Bool) throws {
        let response = try send("POST", "/exec/" + percentEncode(id) + "/start", json: ExecStartRequest(detach: true, tty: tty))
        _ = try response.body.readAll()
    }

    /// `POST /exec/{id}/resize`.
    public func resizeExec(_ id: String, height: Int, width: Int) throws {
        try perform("POST", "/exec/" + percentEncode(id) + "/resize", query: [("h", String(height)), ("w", String(width))])
    }

    /// The state of an exec: running and exit code (decoded leniently).
    public func execState(_ id: String) throws -> (running: Bool, exitCode: Int?) {
        struct Brief: Decodable { var Running: Bool?; var ExitCode: Int? }
        let brief = try decode(Brief.self, "GET", "/exec/" + percentEncode(id) + "/json")
        return (brief.Running ?? false, brief.ExitCode)
    }
}
