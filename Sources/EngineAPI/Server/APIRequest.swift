import DockerAPI
import Engine
import Foundation
import NIOHTTP1

/// One HTTP request to the Engine API, with the version prefix (`/v1.47`) taken off the path.
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the `/vX.Y` prefix, percent-decoded.
    public var path: String
    /// The `/vX.Y` the client asked for, if any.
    public var apiVersion: String?
    public var query: [String: [String]]
    public var headers: HTTPHeaders
    public var body: RequestBody
    /// When the request arrived (wait conditions compare against it).
    public var arrival: Timestamp
    /// Path parameters filled by the router (`{id}` → value).
    public var parameters: [String: String] = [:]

    /// A request body: small ones in memory, large ones spooled to a file the handler removes.
    public enum RequestBody: Sendable {
        case none
        case bytes([UInt8])
        case file(String)
    }

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    public func string(_ name: String) -> String? { query[name]?.last }

    /// Docker's booleans: `1`, `true`, `True` (anything but "", "0", "false").
    public func bool(_ name: String) -> Bool {
        guard let v = query[name]?.last else { return false }
        return !(v.isEmpty || v == "0" || v.lowercased() == "false")
    }

    public func int(_ name: String) throws(EngineError) -> Int? {
        guard let v = query[name]?.last, !v.isEmpty else { return nil }
        guard let n = Int(v) else { throw EngineError(.invalidParameter, "invalid value for \(name): \(v)") }
        return n
    }

    /// The body's bytes (reading a spooled file).
    public func bodyBytes() throws(EngineError) -> [UInt8] {
        switch body {
        case .none: return []
        case .bytes(let b): return b
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw EngineError(.system, "request body is unreadable") }
            return [UInt8](data)
        }
    }

    /// Decodes the JSON body; an empty body decodes `empty` when given. Errors name the field.
    public func json<T: Decodable>(_ type: T.Type, empty: T? = nil) throws(EngineError) -> T {
        let bytes = try bodyBytes()
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            if let empty { return empty }
            throw EngineError(.invalidParameter, "invalid JSON: request body is empty")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(expected, context) {
            throw EngineError(.invalidParameter, "json: cannot unmarshal into field \(Self.path(context.codingPath)) of type \(expected)")
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            throw EngineError(.invalidParameter, "invalid JSON: \(detail)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw EngineError(.invalidParameter, "json: missing value for field \(Self.path(context.codingPath))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw EngineError(.invalidParameter, "json: missing field \(Self.path(context.codingPath + [key]))")
        } catch {
            throw EngineError(.invalidParameter, "invalid JSON: \(error)")
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    /// JSON-encoded `filters` query parameter: `{"label":["a=b"],"status":{"running":true}}`.
    public func filters() throws(EngineError) -> [String: [String]] {
        guard let text = string("filters"), !text.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw EngineError(.invalidParameter, "invalid filter: \(text)")
        }
        var result: [String: [String]] = [:]
        for (key, value) in object {
            if let list = value as? [String] { result[key] = list }
            else if let map = value as? [String: Any] { result[key] = map.compactMap { ($0.value as? Bool) == true ? $0.key : nil } }
            else if let one = value as? String { result[key] = [one] }
        }
        return result
    }
}
