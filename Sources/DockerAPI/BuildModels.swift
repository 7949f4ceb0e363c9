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
