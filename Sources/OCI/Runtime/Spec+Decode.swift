#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Spec {
    /// Decodes config.json, reporting the first problem with its JSON path
    /// (e.g. `process.user.uid: expected a number`). Unknown keys are ignored, as the spec requires.
    public static func decode(from data: Data) throws(SpecError) -> Spec {
        try decodeJSON(Spec.self, from: data, document: "config.json")
    }

    /// Encodes the configuration as JSON with sorted keys; absent optionals are omitted.
    public func encoded(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension ContainerState {
    /// Decodes a state document (as `state` prints it), reporting the first problem with its JSON path.
    public static func decode(from data: Data) throws(SpecError) -> ContainerState {
        try decodeJSON(ContainerState.self, from: data, document: "state")
    }
}

/// Decodes `T` and turns any `DecodingError` into a `SpecError` that names the JSON path.
func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, document: String) throws(SpecError) -> T {
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
            let tree = try? JSONDecoder().decode(JSONValue.self, from: data)
        {
            // Well-formed JSON that JSONDecoder still refused: a number that does not fit.
            // Decode the tree again to learn where.
            do {
                return try T(from: JSONTreeDecoder(value: tree, codingPath: []))
            } catch let precise as DecodingError {
                throw SpecError(decoding: precise, document: document)
            } catch {
                throw SpecError(path: "", message: "\(document) could not be decoded: \(error)")
            }
        }
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
            let location = JSONSyntax.firstError(in: Array(data))
        {
            throw SpecError(path: "", message: "\(document) is not valid JSON: \(location)")
        }
        throw SpecError(decoding: error, document: document)
    } catch {
        throw SpecError(path: "", message: "\(document) could not be decoded: \(error)")
    }
}

extension SpecError {
    /// Renders a `DecodingError` as a path and a short message.
    init(decoding error: DecodingError, document: String) {
        switch error {
        case .typeMismatch(let type, let context):
            let path = Self.render(context.codingPath)
            let expected = Self.describeExpected(type)
            if path.isEmpty {
                self.init(path: "", message: "\(document) must be a JSON object")
            } else {
                self.init(path: path, message: "expected \(expected)")
            }
        case .keyNotFound(let key, let context):
            self.init(path: Self.render(context.codingPath + [key]), message: "required field is missing")
        case .valueNotFound(_, let context):
            self.init(path: Self.render(context.codingPath), message: "required field is null")
        case .dataCorrupted(let context):
            let path = Self.render(context.codingPath)
            if path.isEmpty {
                let detail = context.underlyingError.map { "\($0)" } ?? context.debugDescription
                self.init(path: "", message: "\(document) is not valid JSON: \(Self.trim(detail))")
            } else {
                self.init(path: path, message: Self.describeCorruption(context))
            }
        @unknown default:
            self.init(path: "", message: "\(document) could not be decoded: \(error)")
        }
    }

    /// `process.user.uid`, `linux.namespaces[2].type`.
    static func render(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    /// "a number", "a string", ... for the Swift type the decoder wanted.
    static func describeExpected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is any BinaryInteger.Type, is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("[") && !name.contains(":") { return "an array" }
            return "an object"
        }
    }

    /// Messages for values that parsed as JSON but are not acceptable: out-of-range numbers, unknown enum values.
    /// Both come from this module (`JSONTreeDecoder`, the enums' decoders), so they are used as they are.
    static func describeCorruption(_ context: DecodingError.Context) -> String {
        trim(context.debugDescription)
    }

    /// Drops the trailing period Foundation puts on its messages.
    static func trim(_ text: String) -> String {
        text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
