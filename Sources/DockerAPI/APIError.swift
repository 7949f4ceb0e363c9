/// The body of every error response of the Engine API: `{"message": "..."}`.
public struct APIErrorResponse: Codable, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}

/// `{"Id": "...", "Warnings": [...]}` returned by container and exec create.
public struct IDResponse: Codable, Sendable, Equatable {
    public var id: String
    public var warnings: [String]?
    enum CodingKeys: String, CodingKey { case id = "Id", warnings = "Warnings" }
    public init(id: String, warnings: [String]? = nil) { self.id = id; self.warnings = warnings }
}
