import DockerAPI
import Foundation

/// The few inspect fields the CLI acts on, decoded leniently so any daemon's
/// inspect answer will do (the full answer is printed raw by `inspect`).
public struct ContainerBrief: Decodable, Sendable {
    public var id: String
    public var name: String
    public var tty: Bool
    public var openStdin: Bool
    public var running: Bool
    public var paused: Bool
    public var restarting: Bool
    public var exitCode: Int
    /// `"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]`.
    public var ports: [String: [PortBinding]?]
    public var autoRemove: Bool

    enum Keys: String, CodingKey { case Id, Name, Config, State, NetworkSettings, HostConfig }
    enum ConfigKeys: String, CodingKey { case Tty, OpenStdin }
    enum StateKeys: String, CodingKey { case Running, Paused, Restarting, ExitCode }
    enum NetKeys: String, CodingKey { case Ports }
    enum HostKeys: String, CodingKey { case AutoRemove }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.decodeIfPresent(String.self, forKey: .Id) ?? ""
        name = try c.decodeIfPresent(String.self, forKey: .Name) ?? ""
        let config = try? c.nestedContainer(keyedBy: ConfigKeys.self, forKey: .Config)
        tty = (try? config?.decodeIfPresent(Bool.self, forKey: .Tty)) ?? false
        openStdin = (try? config?.decodeIfPresent(Bool.self, forKey: .OpenStdin)) ?? false
        let state = try? c.nestedContainer(keyedBy: StateKeys.self, forKey: .State)
        running = (try? state?.decodeIfPresent(Bool.self, forKey: .Running)) ?? false
        paused = (try? state?.decodeIfPresent(Bool.self, forKey: .Paused)) ?? false
        restarting = (try? state?.decodeIfPresent(Bool.self, forKey: .Restarting)) ?? false
        exitCode = (try? state?.decodeIfPresent(Int.self, forKey: .ExitCode)) ?? 0
        let net = try? c.nestedContainer(keyedBy: NetKeys.self, forKey: .NetworkSettings)
        ports = (try? net?.decodeIfPresent([String: [PortBinding]?].self, forKey: .Ports)) ?? [:]
        let host = try? c.nestedContainer(keyedBy: HostKeys.self, forKey: .HostConfig)
        autoRemove = (try? host?.decodeIfPresent(Bool.self, forKey: .AutoRemove)) ?? false
    }
}

/// The log stream options of `GET /containers/{id}/logs`.
public struct LogsOptions: Sendable {
    public var follow = false
    public var stdout = true
    public var stderr = true
    public var timestamps = false
    public var tail: String?
    public var since: String?
    public var until: String?
    public init() {}
}

extension BerthClient {
    static func path(_ id: String) -> String { "/containers/" + percentEncode(id) }

    /// `GET /containers/json`.
    public func listContainers(all: Bool = false, limit: Int? = nil, size: Bool = false,
                               filters: [(String, String)] = []) throws -> [ContainerSummary] {
        try decode([ContainerSummary].self, "GET", "/containers/json", query: [
            ("all", all ? "1" : nil), ("limit", limit.map(String.init)), ("size", size ? "1" : nil),
            ("filters", encodeFilters(filters)),
        ])
    }

    /// `POST /containers/create`.
    public func createContainer(_ body: ContainerCreateRequest, name: String? = nil, platform: String? = nil) throws -> IDResponse {
        let response = try send("POST", "/containers/create", query: [("name", name), ("platform", platform)], json: body)
        return try Self.decodeBody(IDResponse.self, try response.body.readAll(), what: "create response")
    }

    /// `GET /containers/{id}/json` as the raw JSON document.
    public func inspectContainerRaw(_ id: String, size: Bool = false) throws -> [UInt8] {
        try raw("GET", Self.path(id) + "/json", query: [("size", size ? "1" : nil)])
    }

    /// The fields of inspect the CLI acts on.
    public func containerBrief(_ id: String) throws -> ContainerBrief {
        try Self.decodeBody(ContainerBrief.self, try inspectContainerRaw(id), what: "container inspect")
    }

    /// `POST /containers/{id}/start`.
    public func startContainer(_ id: String, detachKeys: String? = nil) throws {
        try perform("POST", Self.path(id) + "/start", query: [("detachKeys", detachKeys)])
    }

    /// `POST /containers/{id}/stop`.
    public func stopContainer(_ id: String, timeout: Int? = nil, signal: String? = nil) throws {
        try perform("POST", Self.path(id) + "/stop", query: [("t", timeout.map(String.init)), ("signal", signal)])
    }

    /// `POST /containers/{id}/restart`.
    public func restartContainer(_ id: String, timeout: Int? = nil, signal: String? = nil) throws {
        try perform("POST", Self.path(id) + "/restart", query: [("t", timeout.map(String.init)), ("signal", signal)])
    }

    /// `POST /containers/{id}/kill`.
    public func killContainer(_ id: String, signal: String? = nil) throws {
        try perform("POST", Self.path(id) + "/kill", query: [("signal", signal)])
    }

    /// `POST /containers/{id}/pause`.
    public func pauseContainer(_ id: String) throws { try perform("POST", Self.path(id) + "/pause") }

    /// `POST /containers/{id}/unpause`.
    public func unpauseContainer(_ id: String) throws { try perform("POST", Self.path(id) + "/unpause") }

    /// `DELETE /containers/{id}`.
    public func removeContainer(_ id: String, force: Bool = false, volumes: Bool = false, link: Bool = false) throws {
        try perform("DELETE", Self.path(id), query: [("force", force ? "1" : nil), ("v", volumes ? "1" : nil), ("link", link ? "1" : nil)])
    }

    /// `POST /containers/{id}/rename`.
    public func renameContainer(_ id: String, to name: String) throws {
        try perform("POST", Self.path(id) + "/rename", query: [("name", name)])
    }

    /// Sends `POST /containers/{id}/wait` now; call `waitResult` on the connection
    /// later. Docker's CLI does the same before start, so a fast exit (or an
    /// auto-removed container) is never missed.
    public func beginWait(_ id: String, condition: String? = nil) throws -> UnixHTTPConnection {
        let request = HTTPRequest(method: "POST", target: target(Self.path(id) + "/wait", [("condition", condition)]),
                                  body: .none)
        return try UnixHTTPConnection(address: address, request: request)
    }

    /// Reads the answer of a wait begun with `beginWait`.
    public func waitResult(_ connection: UnixHTTPConnection) throws -> WaitResponse {
        let response = try connection.response()
        try Self.check(response)
        return try Self.decodeBody(WaitResponse.self, try response.body.readAll(), what: "wait response")
    }

    /// `POST /containers/{id}/wait` and its result.
    public func waitContainer(_ id: String, condition: String? = nil) throws -> WaitResponse {
        try waitResult(try beginWait(id, condition: condition))
    }

    /// `GET /containers/{id}/logs`: the raw stream (multiplexed unless the container has a TTY).
    public func logs(_ id: String, _ options: LogsOptions) throws -> HTTPResponse {
        try send("GET", Self.path(id) + "/logs", query: [
            ("follow", options.follow ? "1" : nil), ("stdout", options.stdout ? "1" : nil),
            ("stderr", options.stderr ? "1" : nil), ("timestamps", options.timestamps ? "1" : nil),
            ("tail", options.tail), ("since", options.since), ("until", options.until),
        ])
    }

    /// `POST /containers/{id}/attach`, hijacked.
    public func attach(_ id: String, stdin: Bool, stdout: Bool = true, stderr: Bool = true, logs: Bool = false,
                       detachKeys: String? = nil) throws -> HijackedStream {
        try hijack(Self.path(id) + "/attach", query: [
            ("stream", "1"), ("stdin", stdin ? "1" : nil), ("stdout", stdout ? "1" : nil),
            ("stderr", stderr ? "1" : nil), ("logs", logs ? "1" : nil), ("detachKeys", detachKeys),
        ])
    }

    /// `POST /containers/{id}/resize`.
    public func resizeContainer(_ id: String, height: Int, width: Int) throws {
        try perform("POST", Self.path(id) + "/resize", query: [("h", String(height)), ("w", String(width))])
    }

    /// `GET /containers/{id}/top`.
    public func top(_ id: String, psArgs: String? = nil) throws -> TopResponse {
        try decode(TopResponse.self, "GET", Self.path(id) + "/top", query: [("ps_args", psArgs)])
    }

    /// `GET /containers/{id}/stats`: one sample, or a JSON-lines stream.
    public func stats(_ id: String, stream: Bool) throws -> HTTPResponse {
        try send("GET", Self.path(id) + "/stats", query: [("stream", stream ? "1" : "0")])
    }

    /// `GET /containers/{id}/export`: a tar of the filesystem.
    public func export(_ id: String) throws -> HTTPResponse {
        try send("GET", Self.path(id) + "/export")
    }

    /// `GET /containers/{id}/archive`: a tar of `path`; the stat of `path` is in
    /// the `X-Docker-Container-Path-Stat` header.
    public func getArchive(_ id: String, path: String) throws -> HTTPResponse {
        try send("GET", Self.path(id) + "/archive", query: [("path", path)])
    }

    /// `PUT /containers/{id}/archive`: extracts a tar read from `fd` into `path`.
    public func putArchive(_ id: String, path: String, fd: Int32, noOverwriteDirNonDir: Bool = true,
                           copyUIDGID: Bool = false) throws {
        let response = try send("PUT", Self.path(id) + "/archive",
                                query: [("path", path), ("noOverwriteDirNonDir", noOverwriteDirNonDir ? "true" : nil),
                                        ("copyUIDGID", copyUIDGID ? "true" : nil)],
                                body: .stream(fd: fd), headers: [("Content-Type", "application/x-tar")])
        _ = try response.body.readAll()
    }

    /// `HEAD /containers/{id}/archive`: the stat of `path`, decoded from its header.
    public func statPath(_ id: String, path: String) throws -> PathStat {
        let response = try send("HEAD", Self.path(id) + "/archive", query: [("path", path)])
        return try PathStat(header: response.head.header("x-docker-container-path-stat"))
    }

    /// `POST /commit`.
    public func commit(_ id: String, repo: String?, tag: String?, comment: String?, author: String?,
                       pause: Bool, changes: [String]) throws -> IDResponse {
        let response = try send("POST", "/commit", query: [
            ("container", id), ("repo", repo), ("tag", tag), ("comment", comment), ("author", author),
            ("pause", pause ? "1" : "0"),
        ] + changes.map { ("changes", $0) }, json: EmptyObject())
        return try Self.decodeBody(IDResponse.self, try response.body.readAll(), what: "commit response")
    }

    /// `POST /containers/prune`.
    public func pruneContainers(filters: [(String, String)] = []) throws -> ContainerPruneResponse {
        try decode(ContainerPruneResponse.self, "POST", "/containers/prune", query: [("filters", encodeFilters(filters))])
    }
}

/// `X-Docker-Container-Path-Stat`: base64 JSON describing a path in a container.
public struct PathStat: Codable, Sendable {
    public var name: String
    public var size: Int64
    public var mode: UInt32
    public var mtime: String?
    public var linkTarget: String?

    /// Go's `os.ModeDir` bit as docker encodes it.
    public var isDirectory: Bool { mode & (1 << 31) != 0 }

    init(header: String?) throws {
        guard let header, let data = Data(base64Encoded: header) else {
            throw ClientError.protocolViolation("missing X-Docker-Container-Path-Stat header")
        }
        self = try BerthClient.decodeBody(PathStat.self, Array(data), what: "path stat")
    }
}
