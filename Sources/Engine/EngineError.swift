/// What went wrong in the engine, in the categories the Engine API maps to HTTP statuses.
/// `message` is what the user sees, in docker's words where docker has words.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP-facing category.
    public enum Kind: Sendable, Equatable {
        case invalidParameter   // 400
        case notFound           // 404
        case conflict           // 409
        case notModified        // 304
        case forbidden          // 403
        case unavailable        // 503
        case unauthorized       // 401 (a registry refused the credentials)
        case system             // 500
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }

    static func noSuchContainer(_ ref: String) -> EngineError { EngineError(.notFound, "No such container: \(ref)") }
    static func noSuchImage(_ ref: String) -> EngineError { EngineError(.notFound, "No such image: \(ref)") }
    static func noSuchExec(_ ref: String) -> EngineError { EngineError(.notFound, "No such exec instance: \(ref)") }
    static func invalid(_ message: String) -> EngineError { EngineError(.invalidParameter, message) }
    static func system(_ message: String) -> EngineError { EngineError(.system, message) }
}
