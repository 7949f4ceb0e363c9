import DockerAPI

/// The legacy build API.
extension BerthClient {
    /// `POST /build`: the context tar read from `fd`; the answer streams docker's JSON messages.
    /// `registryConfig` is the `X-Registry-Config` header (credentials for pulling base images).
    public func build(fd: Int32, query: [(String, String?)], registryConfig: String? = nil) throws -> HTTPResponse {
        try send("POST", "/build", query: query, body: .stream(fd: fd),
                 headers: [("Content-Type", "application/x-tar")] + (registryConfig.map { [("X-Registry-Config", $0)] } ?? []))
    }

    /// `POST /build/prune`: forgets the build cache (`all`: also entries in use lately).
    public func pruneBuildCache(all: Bool) throws -> BuildPruneResponse {
        try decode(BuildPruneResponse.self, "POST", "/build/prune", query: [("all", all ? "1" : nil)])
    }
}
