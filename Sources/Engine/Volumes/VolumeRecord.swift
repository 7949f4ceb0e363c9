/// A named volume of the local driver: a directory `root/volumes/<name>/_data`.
public struct VolumeRecord: Codable, Sendable, Equatable {
    public var name: String
    public var created: Timestamp
    public var labels: [String: String]
    public var options: [String: String]
    /// True when the engine made it for a container's anonymous `VOLUME`/`-v /path`.
    public var anonymous: Bool
    public init(name: String, created: Timestamp, labels: [String: String] = [:], options: [String: String] = [:], anonymous: Bool = false) {
        self.name = name; self.created = created; self.labels = labels; self.options = options; self.anonymous = anonymous
    }
}
