/// The JSON value `{}`: the values of set-like maps (`ExposedPorts`, `Volumes`). Decodes from any object.
public struct EmptyObject: Codable, Sendable, Hashable {
    /// The empty object.
    public init() {}

    /// Accepts any JSON object, ignoring its keys (as Go's `struct{}` does).
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyKey.self)
    }

    /// Writes `{}`.
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyKey.self)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
