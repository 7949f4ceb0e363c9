/// Small helpers shared by the Docker Engine API models.

/// Docker encodes sets (ExposedPorts, Volumes) as objects whose values are empty objects.
public struct EmptyObject: Codable, Sendable, Equatable, Hashable {
    public init() {}
    public init(from decoder: Decoder) throws {}
    public func encode(to encoder: Encoder) throws {
        _ = encoder.container(keyedBy: AnyKey.self)
    }
}

/// A coding key for any string, used for free-form objects.
public struct AnyKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer {
    /// Decodes an optional value, treating a JSON null or a missing key as nil.
    func opt<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key)
    }
}
