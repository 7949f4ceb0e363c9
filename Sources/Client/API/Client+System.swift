import DockerAPI

extension BerthClient {
    /// `GET /version`.
    public func version() throws -> SystemVersion { try decode(SystemVersion.self, "GET", "/version") }

    /// `GET /info`.
    public func info() throws -> SystemInfo { try decode(SystemInfo.self, "GET", "/info") }

    /// `GET /system/df`.
    public func diskUsage() throws -> SystemDataUsage { try decode(SystemDataUsage.self, "GET", "/system/df") }

    /// `GET /events`: a JSON-lines stream of `EventMessage`.
    public func events(since: String?, until: String?, filters: [(String, String)]) throws -> HTTPResponse {
        try send("GET", "/events", query: [("since", since), ("until", until), ("filters", encodeFilters(filters))])
    }
}
