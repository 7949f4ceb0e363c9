import DockerAPI
import Engine
import NIOCore

/// `/containers/{id}/exec` and `/exec/{id}/...`.
struct ExecRoutes: Sendable {
    let engine: Engine
    let group: EventLoopGroup

    func create(_ request: APIRequest) async throws -> APIResponse {
        let body = try request.json(ExecCreateRequest.self)
        let id = try await engine.createExec(request.parameter("id"), body)
        return .json(IDResponse(id: id), status: .created)
    }

    func inspect(_ request: APIRequest) async throws -> APIResponse {
        let exec = try await engine.exec(request.parameter("id"))
        let cmd = exec.request.cmd ?? []
        return .json(ExecInspect(
            id: exec.id, running: exec.running, exitCode: exec.exitCode,
            processConfig: .init(privileged: exec.request.privileged ?? false, user: exec.request.user ?? "",
                                 tty: exec.request.tty ?? false, entrypoint: cmd.first ?? "", arguments: Array(cmd.dropFirst())),
            openStdin: exec.request.attachStdin ?? false, openStderr: exec.request.attachStderr ?? false,
            openStdout: exec.request.attachStdout ?? false, containerID: exec.containerID, pid: Int(exec.pid)))
    }

    func resize(_ request: APIRequest) async throws -> APIResponse {
        try await engine.resizeExec(request.parameter("id"), height: try request.int("h") ?? 24, width: try request.int("w") ?? 80)
        return .body(.created, contentType: "text/plain", [])
    }

    /// Detached: start and answer 200. Attached: hijack, join the shim, start, stream until exit.
    func start(_ request: APIRequest) async throws -> APIResponse {
        let id = request.parameter("id")
        let body = try request.json(ExecStartRequest.self, empty: ExecStartRequest())
        let exec = try await engine.exec(id)
        let target = try await engine.prepareExec(id, tty: body.tty)
        let engine = self.engine, group = self.group
        if body.detach == true {
            if let failure = await engine.startExec(id) { throw EngineError(.system, failure) }
            return .empty(.ok)
        }
        let contentType = target.tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream"
        let stdin = exec.request.attachStdin == true
        let detachKeys = stdin ? try DetachKeys.parse(exec.request.detachKeys) : nil
        return .hijack(contentType: contentType) { client in
            do {
                let shim = try await ShimBridge.connect(socket: target.socket, stdin: stdin, group: group)
                let options = ShimBridge.Options(stdin: stdin, stdout: exec.request.attachStdout ?? true,
                                                 stderr: exec.request.attachStderr ?? true, tty: target.tty,
                                                 closeStdinOnEOF: true, detachKeys: detachKeys)
                await ShimBridge.run(client: client, shim: shim, options: options, onReady: {
                    if let failure = await engine.startExec(id) {
                        let text = Array((failure + "\r\n").utf8)
                        try? await client.write(target.tty ? text : ShimBridge.frame(1, text))
                        await shim.close()
                    }
                }, beforeClose: {
                    await engine.waitExec(id)
                })
            } catch {
                _ = await engine.startExec(id)
                await client.close()
            }
        }
    }
}
