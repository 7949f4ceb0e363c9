import Foundation

/// JSON decoding of registry answers from bytes.
enum JSONDecoderFactory {
    static func make() -> Decoder { Decoder() }

    /// A JSONDecoder that takes byte arrays.
    struct Decoder {
        func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
            try JSONDecoder().decode(type, from: Data(bytes))
        }
    }
}
