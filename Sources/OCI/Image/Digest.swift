/// A hash algorithm the image spec registers for digests.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
    /// SHA-256, the algorithm every registry and image uses.
    case sha256
    /// SHA-512, registered by the image spec and rarely used.
    case sha512

    /// How many lowercase hex characters an encoded digest of this algorithm has.
    public var hexLength: Int {
        switch self {
        case .sha256: 64
        case .sha512: 128
        }
    }

    /// How many raw bytes the hash has.
    public var byteCount: Int { hexLength / 2 }
}

/// A content digest, `algorithm:hex` (e.g. `sha256:e3b0…b855`). A value type only: hashing lives in ImageStore.
///
/// Encodes and decodes as its string; a malformed string fails decoding with the reason.
public struct Digest: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The hash algorithm.
    public let algorithm: DigestAlgorithm
    /// The hash as lowercase hex, exactly `algorithm.hexLength` characters.
    public let encoded: String

    /// Parses `algorithm:hex`, requiring a registered algorithm and lowercase hex of exactly its length.
    public init(parsing text: String) throws(DigestError) {
        guard let colon = text.firstIndex(of: ":") else { throw DigestError.missingAlgorithm(text) }
        let name = String(text[..<colon])
        let hex = String(text[text.index(after: colon)...])
        guard let algorithm = DigestAlgorithm(rawValue: name) else {
            throw DigestError.unsupportedAlgorithm(text, algorithm: name)
        }
        if let bad = hex.first(where: { !Digest.isLowerHex($0) }) {
            throw DigestError.invalidCharacter(text, character: bad)
        }
        guard hex.utf8.count == algorithm.hexLength else {
            throw DigestError.wrongLength(text, algorithm: algorithm, count: hex.utf8.count)
        }
        self.algorithm = algorithm
        self.encoded = hex
    }

    /// Creates a digest from raw hash bytes (e.g. a SHA-256 result), hex-encoding them.
    /// `bytes.count` must be `algorithm.byteCount`.
    public init(algorithm: DigestAlgorithm, bytes: [UInt8]) {
        precondition(bytes.count == algorithm.byteCount, "\(algorithm.rawValue) digest needs \(algorithm.byteCount) bytes, got \(bytes.count)")
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        self.algorithm = algorithm
        self.encoded = String(decoding: hex, as: UTF8.self)
    }

    /// The hex part, as in `encoded`.
    public var hex: String { encoded }

    /// `algorithm:hex`, the form used in manifests, APIs and references.
    public var string: String { "\(algorithm.rawValue):\(encoded)" }

    /// Same as `string`.
    public var description: String { string }

    /// The first 12 hex characters: Docker's short image and container ID.
    public var shortID: String { String(encoded.prefix(12)) }

    /// The raw hash bytes.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(algorithm.byteCount)
        var high: UInt8? = nil
        for byte in encoded.utf8 {
            let value = byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out
    }

    /// Orders digests by their string form.
    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.string < rhs.string }

    /// Decodes a digest string, failing with the parse error's message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Digest(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the digest as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    private static func isLowerHex(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(ascii)
    }
}
