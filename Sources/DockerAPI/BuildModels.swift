/// `POST /build/prune`'s answer.
public struct BuildPruneResponse: Codable, Sendable, Equatable {
    /// IDs of the cache records removed.
    public var cachesDeleted: [String]
    /// Bytes freed.
    public var spaceReclaimed: Int64

    enum CodingKeys: String, CodingKey { case cachesDeleted = "CachesDeleted", spaceReclaimed = "SpaceReclaimed" }

    /// A response.
    public init(cachesDeleted: [String], spaceReclaimed: Int64) {
        self.cachesDeleted = cachesDeleted; self.spaceReclaimed = spaceReclaimed
    }
}

/// A build step's event, carried beside the legacy `stream` text (`JSONMessage.berthStep`):
/// `{"stream":"Step 2/5 : RUN make\n","berthStep":{"step":2,"total":5,"phase":"start","name":"RUN make"}}`.
/// Views that draw one line per step (`berth build --progress=tty`) read it; the text stays docker's.
public struct BuildStepStatus: Codable, Sendable, Equatable {
    /// The step's number (1-based, across stages).
    public var step: Int
    /// The number of steps in the build.
    public var total: Int
    /// `start`, `cached` or `done`.
    public var phase: String
    /// The instruction as written (on `start`).
    public var name: String?

    /// A status.
    public init(step: Int, total: Int, phase: String, name: String? = nil) {
        self.step = step; self.total = total; self.phase = phase; self.name = name
    }
}
