/// One challenge of a `WWW-Authenticate` header: a scheme (`Bearer`, `Basic`) and its parameters
/// (`realm`, `service`, `scope`, …), as RFC 7235 writes them.
public struct AuthChallenge: Sendable, Equatable {
    /// The scheme, lowercased: `bearer`, `basic`.
    public var scheme: String
    /// Parameters by lowercased name; quoted values are unquoted and unescaped.
    public var parameters: [String: String]

    /// Creates a challenge.
    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    /// The `realm` parameter (the token endpoint of a Bearer challenge).
    public var realm: String? { parameters["realm"] }
    /// The `service` parameter of a Bearer challenge.
    public var service: String? { parameters["service"] }
    /// The `scope` parameter of a Bearer challenge.
    public var scope: String? { parameters["scope"] }

    /// Every challenge in the values of `WWW-Authenticate` headers; malformed parts are skipped.
    /// `Bearer realm="https://auth/token",service="reg", Basic realm="x"` gives two challenges.
    public static func parse(_ headerValues: [String]) -> [AuthChallenge] {
        headerValues.flatMap(parse)
    }

    /// Every challenge in one header value.
    public static func parse(_ value: String) -> [AuthChallenge] {
        var scanner = ChallengeScanner(Array(value.utf8))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x2c }
            guard let scheme = scanner.token(), !scheme.isEmpty else { break }
            var challenge = AuthChallenge(scheme: scheme)
            // Parameters: name=value pairs separated by commas, until a token not followed by '='.
            while true {
                let mark = scanner.position
                scanner.skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x2c }
                guard let name = scanner.token(), !name.isEmpty else { scanner.position = mark; break }
                scanner.skip { $0 == 0x20 || $0 == 0x09 }
                guard scanner.consume(0x3d) else { scanner.position = mark; break }
                scanner.skip { $0 == 0x20 || $0 == 0x09 }
                let value = scanner.peek() == 0x22 ? scanner.quoted() : (scanner.token() ?? "")
                challenge.parameters[name.lowercased()] = value
            }
            challenges.append(challenge)
        }
        return challenges
    }
}

/// A cursor over the bytes of a header value.
private struct ChallengeScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skip(_ predicate: (UInt8) -> Bool) {
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// RFC 7230 token characters (plus `/` for token68 values such as base64).
    mutating func token() -> String? {
        let start = position
        skip { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5a, 0x61...0x7a: true
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"),
                 UInt8(ascii: "/"), UInt8(ascii: ":"): true
            default: false
            }
        }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A quoted string starting at the current `"`, with `\x` escapes resolved.
    mutating func quoted() -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == 0x22 { break }
            if byte == 0x5c, position < bytes.count {
                out.append(bytes[position])
                position += 1
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
