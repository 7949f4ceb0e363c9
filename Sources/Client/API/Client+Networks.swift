import DockerAPI

extension BerthClient {
    /// `POST /networks/create`.
    public func createNetwork(_ request: NetworkCreateRequest) throws -> NetworkCreateResponse {
        let response = try send("POST", "/networks/create", json: request)
        return try Self.decodeBody(NetworkCreateResponse.self, try response.body.readAll(), what: "network create response")
    }

    /// `GET /networks`.
    public func listNetworks(filters: [(String, String)] = []) throws -> [NetworkResource] {
        try decode([NetworkResource].self, "GET", "/networks", query: [("filters", encodeFilters(filters))])
    }

    /// `GET /networks/{id}` as raw JSON.
    public func inspectNetworkRaw(_ id: String) throws -> [UInt8] {
        try raw("GET", "/networks/" + percentEncode(id))
    }

    /// `DELETE /networks/{id}`.
    public func removeNetwork(_ id: String) throws {
        try perform("DELETE", "/networks/" + percentEncode(id))
    }

    /// `POST /networks/{id}/connect`.
    public func connectNetwork(_ id: String, _ request: NetworkConnectRequest) throws {
        _ = try send("POST", "/networks/" + percentEncode(id) + "/connect", json: request).body.readAll()
    }

    /// `POST /networks/{id}/disconnect`.
    public func disconnectNetwork(_ id: String, _ request: NetworkDisconnectRequest) throws {
        _ = try send("POST", "/networks/" + percentEncode(id) + "/disconnect", json: request).body.readAll()
    }

    /// `POST /networks/prune`.
    public func pruneNetworks(filters: [(String, String)] = []) throws -> NetworkPruneResponse {
        try decode(NetworkPruneResponse.self, "POST", "/networks/prune", query: [("filters", encodeFilters(filters))])
    }
}
