import DockerAPI

extension BerthClient {
    /// `POST /volumes/create`.
    public func createVolume(_ options: VolumeCreateOptions) throws -> Volume {
        let response = try send("POST", "/volumes/create", json: options)
        return try Self.decodeBody(Volume.self, try response.body.readAll(), what: "volume create response")
    }

    /// `GET /volumes`.
    public func listVolumes(filters: [(String, String)] = []) throws -> VolumeListResponse {
        try decode(VolumeListResponse.self, "GET", "/volumes", query: [("filters", encodeFilters(filters))])
    }

    /// `GET /volumes/{name}` as raw JSON.
    public func inspectVolumeRaw(_ name: String) throws -> [UInt8] {
        try raw("GET", "/volumes/" + percentEncode(name))
    }

    /// `DELETE /volumes/{name}`.
    public func removeVolume(_ name: String, force: Bool = false) throws {
        try perform("DELETE", "/volumes/" + percentEncode(name), query: [("force", force ? "1" : nil)])
    }

    /// `POST /volumes/prune`.
    public func pruneVolumes(filters: [(String, String)] = []) throws -> VolumePruneResponse {
        try decode(VolumePruneResponse.self, "POST", "/volumes/prune", query: [("filters", encodeFilters(filters))])
    }
}
