import DockerAPI

/// The legacy build API.
extension BerthClient {
    /// `POST /build`: the context tar read from `fd`; the answer streams docker's JSON messages.
    public func build(fd: Int32, query: [(String, String?)]) throws -> HTTPResponse {
        try send("POST", "/build", query: query, body: .stream(fd: fd), headers: [("Content-Type", "application/x-tar")])
    }

    /// `POST /build/prune`: forgets the build cache (`all`: also entries in use lately).
    public func pruneBuildCache(all: Bool) throws -> BuildPruneResponse {
        try decode(BuildPruneResponse.self, "POST", "/build/prune", query: [("all", all ? "1" : nil)])
    }
}
