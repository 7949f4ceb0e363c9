import DockerAPI

/// One `docker exec` instance: created by the API, started once, kept in memory (as docker does).
public struct ExecRecord: Sendable {
    public var id: String
    public var containerID: String
    public var request: ExecCreateRequest
    public var running = false
    public var started = false
    public var exitCode: Int?
    public var pid: Int32 = 0
    public init(id: String, containerID: String, request: ExecCreateRequest) {
        self.id = id; self.containerID = containerID; self.request = request
    }
}
