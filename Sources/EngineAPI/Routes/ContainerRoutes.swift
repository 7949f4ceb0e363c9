import DockerAPI
import Engine
import Foundation
import NIOCore
import NIOHTTP1

/// `/containers/...`: lifecycle, inspection and the streams (attach, logs, wait, stats).
struct ContainerRoutes: Sendable {
    let engine: Engine
    let group: EventLoopGroup

    func list(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let all = request.bool("all")
        let limit = try request.int("limit") ?? -1
        var records = await engine.allContainers().sorted { $0.created > $1.created }
        if !all && filters["status"] == nil && limit <= 0 { records = records.filter(\.isRunning) }
        records = records.filter { ContainerFilter.matches($0, filters) }
        if limit > 0 { records = Array(records.prefix(limit)) }
        let now = Timestamp.now()
        var summaries: [ContainerSummary] = []
        for record in records { summaries.append(ContainerViews.summary(record, now: now, network: await engine.networkSettings(record))) }
        if request.bool("size") {
            for i in summaries.indices {
                let rw = await engine.containerSize(summaries[i].id)
                summaries[i].sizeRw = rw
                summaries[i].sizeRootFs = ((try? await engine.imageView(summaries[i].imageID))?.size ?? 0) + rw
            }
        }
        return .json(summaries)
    }

    func create(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(ContainerCreateRequest.self)
        let record = try await engine.createContainer(body, name: request.string("name"))
        var warnings: [String] = []
        if body.hostConfig?.networkMode == "host" && !(body.hostConfig?.portBindings ?? [:]).isEmpty {
            warnings.append("Published ports are discarded when using host network mode")
        }
        return .json(IDResponse(id: record.id, warnings: warnings), status: .created)
    }

    func inspect(_ request: APIRequest) async throws -> APIResponse {
        let record = try await engine.container(request.parameter("id"))
        let execIDs = await engine.execIDs(of: record.id)
        var view = ContainerViews.inspect(record, configuration: engine.configuration, execIDs: execIDs,
                                          network: await engine.networkSettings(record))
        if request.bool("size") {
            let rw = await engine.containerSize(record.id)
            view.sizeRw = rw
            view.sizeRootFs = ((try? await engine.imageView(record.imageID))?.size ?? 0) + rw
        }
        return .json(view)
    }

    func start(_ request: APIRequest) async throws -> APIResponse {
        try await engine.startContainer(request.parameter("id"))
        return .empty()
    }

    func stop(_ request: APIRequest) async throws -> APIResponse {
        try await engine.stopContainer(request.parameter("id"), timeout: try request.int("t") ?? request.int("timeout"), signal: request.string("signal"))
        return .empty()
    }

    func restart(_ request: APIRequest) async throws -> APIResponse {
        try await engine.restartContainer(request.parameter("id"), timeout: try request.int("t") ?? request.int("timeout"), signal: request.string("signal"))
        return .empty()
    }

    func kill(_ request: APIRequest) async throws -> APIResponse {
        try await engine.killContainer(request.parameter("id"), signal: request.string("signal"))
        return .empty()
    }

    func pause(_ request: APIRequest) async throws -> APIResponse {
        try await engine.pauseContainer(request.parameter("id"))
        return .empty()
    }

    func unpause(_ request: APIRequest) async throws -> APIResponse {
        try await engine.unpauseContainer(request.parameter("id"))
        return .empty()
    }

    func rename(_ request: APIRequest) async throws -> APIResponse {
        guard let name = request.string("name"), !name.isEmpty else { throw EngineError(.invalidParameter, "name is required") }
        try await engine.renameContainer(request.parameter("id"), to: name)
        return .empty()
    }

    func resize(_ request: APIRequest) async throws -> APIResponse {
        try await engine.resizeContainer(request.parameter("id"), height: try request.int("h") ?? 24, width: try request.int("w") ?? 80)
        return .body(.ok, contentType: "text/plain", [])
    }

    func remove(_ request: APIRequest) async throws -> APIResponse {
        try await engine.removeContainer(request.parameter("id"), force: request.bool("force"), volumes: request.bool("v"))
        return .empty()
    }

    func prune(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let result = await engine.pruneContainers { ContainerFilter.matches($0, filters.filter { $0.key == "label" }) }
        return .json(ContainerPruneResponse(containersDeleted: result.removed, spaceReclaimed: result.space))
    }

    /// The response head goes out at once (clients wait for it before they start the container);
    /// the body follows when the condition is met.
    func wait(_ request: APIRequest) async throws -> APIResponse {
        let id = request.parameter("id")
        let condition = request.string("condition") ?? "not-running"
        guard ["", "not-running", "next-exit", "removed"].contains(condition) else {
            throw EngineError(.invalidParameter, "invalid condition: \"\(condition)\"")
        }
        _ = try await engine.container(id)
        let engine = self.engine
        return .stream(.ok, contentType: "application/json") { writer in
            do {
                let info = try await engine.waitContainer(id, condition: condition, since: request.arrival)
                try await writer.writeJSON(WaitResponse(statusCode: info.code, error: info.error.map { .init(message: $0) }))
            } catch let error as EngineError {
                try await writer.writeJSON(WaitResponse(statusCode: -1, error: .init(message: error.message)))
            }
        }
    }

    /// Hijacks the connection and joins it to the container's shim (now, or when it starts).
    func attach(_ request: APIRequest) async throws -> APIResponse {
        let reference = request.parameter("id")
        let record = try await engine.container(reference)
        let stdin = request.bool("stdin"), stdout = request.bool("stdout"), stderr = request.bool("stderr")
        let detachKeys = try DetachKeys.parse(request.string("detachKeys"))
        let logs = request.bool("logs")
        let engine = self.engine, group = self.group
        let tty = record.config.tty == true
        let contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream"
        guard request.bool("stream") || !logs else {
            return try await logsResponse(id: record.id, query: LogQuery(), tty: tty)
        }
        // Register for the next start before the 101 goes out: the client starts the
        // container as soon as it sees the response.
        let targetTask = Task { try await engine.attachTarget(record.id) }
        return .hijack(contentType: contentType) { client in
            guard let target = try? await targetTask.value else { await client.close(); return }
            do {
                let shim = try await ShimBridge.connect(socket: target.socket, stdin: stdin, group: group)
                await ShimBridge.run(client: client, shim: shim,
                                     options: .init(stdin: stdin, stdout: stdout, stderr: stderr, tty: target.tty,
                                                    closeStdinOnEOF: record.config.stdinOnce == true, detachKeys: stdin ? detachKeys : nil)) {
                    await engine.attachConnected(record.id)
                }
            } catch {
                await engine.attachConnected(record.id)
                await client.close()
            }
        }
    }

    func logs(_ request: APIRequest) async throws -> APIResponse {
        var query = LogQuery()
        query.stdout = request.bool("stdout")
        query.stderr = request.bool("stderr")
        guard query.stdout || query.stderr else {
            throw EngineError(.invalidParameter, "Bad parameters: you must choose at least one stream")
        }
        query.follow = request.bool("follow")
        if let since = request.string("since"), since != "0", !since.isEmpty {
            guard let t = Timestamp.parse(since) else { throw EngineError(.invalidParameter, "invalid value for since: \(since)") }
            query.since = t
        }
        if let until = request.string("until"), until != "0", !until.isEmpty {
            guard let t = Timestamp.parse(until) else { throw EngineError(.invalidParameter, "invalid value for until: \(until)") }
            query.until = t
        }
        if let tail = request.string("tail"), tail != "all", !tail.isEmpty {
            guard let n = Int(tail) else { throw EngineError(.invalidParameter, "invalid value for tail: \(tail)") }
            query.tail = n
        }
        let info = try await engine.containerLogInfo(request.parameter("id"))
        return try await logsResponse(id: info.id, query: query, tty: info.tty, timestamps: request.bool("timestamps"))
    }

    private func logsResponse(id: String, query: LogQuery, tty: Bool, timestamps: Bool = false) async throws -> APIResponse {
        let info = try await engine.containerLogInfo(id)
        let engine = self.engine
        let contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream"
        return .stream(.ok, contentType: contentType) { writer in
            try await engine.streamLogs(id: info.id, path: info.path, query: query) { entry in
                var payload = entry.text
                if timestamps { payload = Array((entry.time.rfc3339 + " ").utf8) + payload }
                try await writer.write(tty ? payload : ShimBridge.frame(entry.stream, payload))
            }
        }
    }

    func top(_ request: APIRequest) async throws -> APIResponse {
        let args = request.string("ps_args") ?? "-ef"
        return .json(try await engine.top(request.parameter("id"), psArguments: args))
    }

    func stats(_ request: APIRequest) async throws -> APIResponse {
        let id = request.parameter("id")
        let record = try await engine.container(id)
        let stream = request.string("stream").map { $0 != "0" && $0.lowercased() != "false" } ?? true
        let oneShot = request.bool("one-shot")
        let engine = self.engine
        return .stream(.ok, contentType: "application/json") { writer in
            var previous: ContainerStats? = nil
            if !stream && !oneShot {
                // docker primes precpu with a sample one second earlier
                previous = await engine.stats(record.id, previous: nil)
                try await Task.sleep(nanoseconds: 1_000_000_000)
            }
            repeat {
                let sample = await engine.stats(record.id, previous: previous)
                try await writer.writeJSON(sample)
                previous = sample
                if !stream { return }
                try await Task.sleep(nanoseconds: 1_000_000_000)
            } while writer.isActive
        }
    }
}

/// `--detach-keys`: `ctrl-p,ctrl-q`, `a`, `ctrl-@`.
enum DetachKeys {
    static let `default`: [UInt8] = [16, 17]

    static func parse(_ text: String?) throws(EngineError) -> [UInt8] {
        guard let text, !text.isEmpty else { return Self.default }
        var keys: [UInt8] = []
        for part in text.split(separator: ",") {
            let p = part.lowercased()
            if p.hasPrefix("ctrl-"), p.count == 6, let c = p.last?.asciiValue {
                switch c {
                case 97...122: keys.append(c - 96)
                case UInt8(ascii: "@"): keys.append(0)
                case UInt8(ascii: "["): keys.append(27)
                case UInt8(ascii: "\\"): keys.append(28)
                case UInt8(ascii: "]"): keys.append(29)
                case UInt8(ascii: "^"): keys.append(30)
                case UInt8(ascii: "_"): keys.append(31)
                default: throw EngineError(.invalidParameter, "Unknown character: '\(part)'")
                }
            } else if part.count == 1, let c = part.first?.asciiValue {
                keys.append(c)
            } else {
                throw EngineError(.invalidParameter, "Unknown character: '\(part)'")
            }
        }
        return keys
    }
}
