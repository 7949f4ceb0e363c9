#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A problem in an image document (manifest, index, image config, layout files), naming the document
/// and the JSON path, e.g. `manifest: layers[1].digest: invalid digest "sha256:abc": …`.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which document: `manifest`, `index`, `image config`, `oci-layout`, `manifest.json`, …
    public var document: String
    /// Where the problem is, in dotted JSON notation with `[n]` for array elements; empty for the whole document.
    public var path: String
    /// What is wrong there.
    public var message: String

    /// Creates an error in `document` at `path`.
    public init(document: String, path: String, message: String) {
        self.document = document
        self.path = path
        self.message = message
    }

    /// `document: path: message`, or just `message` for a problem with the whole document
    /// (whose message then names the document itself).
    public var description: String {
        path.isEmpty ? message : "\(document): \(path): \(message)"
    }
}

/// Decodes `T` from `data` with the runtime-spec decoder's path-precise errors, reported as an `ImageError`.
/// Unknown keys are ignored.
func decodeImageJSON<T: Decodable>(_ type: T.Type, from data: Data, document: String) throws(ImageError) -> T {
    do {
        return try decodeJSON(T.self, from: data, document: document)
    } catch {
        throw ImageError(document: document, path: error.path, message: error.message)
    }
}

/// Encodes `value` as compact JSON with sorted keys and unescaped slashes; absent optionals are omitted.
func encodeImageJSON<T: Encodable>(_ value: T, prettyPrinted: Bool) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}
