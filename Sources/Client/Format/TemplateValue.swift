import Foundation

/// A value a Go template works on: raw JSON (for `inspect -f`) or the
/// string-valued rows docker's formatters expose (`.ID`, `.Status`, …).
public indirect enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([TemplateValue])
    case object(TemplateObject)

    /// Parses JSON bytes, keeping the key order of objects (docker's typed structs print in that order).
    public init(json bytes: [UInt8]) throws {
        var parser = JSONValueParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Any `Encodable` model through its JSON form.
    public init<T: Encodable>(encoding value: T) throws {
        try self.init(json: Array(try JSONEncoder().encode(value)))
    }

    /// Go's truth: false, 0, nil and empty strings, arrays and maps are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    /// How Go's `fmt.Print` shows the value (`map[k:v]`, `[a b]`, `<no value>` for nil).
    public var goString: String {
        switch self {
        case .null: return "<no value>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return goFloat(d)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(\.goNestedString).joined(separator: " ") + "]"
        case .object(let o):
            return "map[" + o.keys.sorted().map { "\($0):\(o[$0]!.goNestedString)" }.joined(separator: " ") + "]"
        }
    }

    /// Inside a map or slice Go prints nil as `<nil>`.
    var goNestedString: String { if case .null = self { return "<nil>" } else { return goString } }

    /// JSON as docker's `json` template function writes it: compact, keys sorted, no HTML escaping.
    public var jsonString: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return goFloat(d)
        case .string(let s): return jsonQuote(s)
        case .array(let a): return "[" + a.map(\.jsonString).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.map { jsonQuote($0) + ":" + o[$0]!.jsonString }.joined(separator: ",") + "}"
        }
    }

    /// Indented JSON like `json.MarshalIndent(v, "", "    ")` (docker inspect's output).
    public func indentedJSON(_ level: Int = 0, indent: String = "    ") -> String {
        let pad = String(repeating: indent, count: level), inner = String(repeating: indent, count: level + 1)
        switch self {
        case .array(let a) where !a.isEmpty:
            return "[\n" + a.map { inner + $0.indentedJSON(level + 1, indent: indent) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let o) where !o.isEmpty:
            return "{\n" + o.keys.map { inner + jsonQuote($0) + ": " + o[$0]!.indentedJSON(level + 1, indent: indent) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        default:
            return jsonString
        }
    }
}

extension TemplateValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([TemplateValue].self) { self = .array(a) }
        else { self = .object(TemplateObject(try c.decode([String: TemplateValue].self))) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o.values)
        }
    }
}

/// A JSON string literal (Go's encoder without HTML escaping).
public func jsonQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{2028}": out += "\\u2028"
        case "\u{2029}": out += "\\u2029"
        default:
            if scalar.value < 0x20 {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Go's `%v` of a float64: shortest form, exponent outside [1e-4, 1e21).
func goFloat(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
    let magnitude = abs(d)
    if magnitude >= 1e21 || magnitude < 1e-4 {
        var text = "\(d)"  // Swift: 1e+21, 1e-05
        if let e = text.firstIndex(of: "e") {
            let mantissa = text[..<e]
            var exponent = String(text[text.index(after: e)...])
            let sign = exponent.hasPrefix("-") ? "-" : "+"
            exponent = exponent.trimmingCharacters(in: "+-")
            if exponent.count < 2 { exponent = "0" + exponent }
            text = mantissa + "e" + sign + exponent
        }
        return text
    }
    return "\(d)"
}

/// A JSON object with its key order: as parsed, or sorted when built from a
/// dictionary (what Go's encoder does for maps).
public struct TemplateObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Keys in output order.
    public private(set) var keys: [String]
    /// Values by key.
    public private(set) var values: [String: TemplateValue]

    /// Sorted keys, like a Go map.
    public init(_ dictionary: [String: TemplateValue]) {
        values = dictionary
        keys = dictionary.keys.sorted()
    }

    /// Keys in the given order (later duplicates win, in the first position).
    public init(ordered pairs: [(String, TemplateValue)]) {
        keys = []
        values = [:]
        for (key, value) in pairs {
            if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        }
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { $1 }))
    }

    public subscript(key: String) -> TemplateValue? { values[key] }
    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }
}

/// A small JSON parser that keeps object key order.
struct JSONValueParser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    mutating func parseDocument() throws -> TemplateValue {
        let value = try parseValue()
        skipSpace()
        guard i == bytes.count else { throw Failure(description: "unexpected data after JSON value at offset \(i)") }
        return value
    }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func parseValue() throws -> TemplateValue {
        skipSpace()
        guard i < bytes.count else { throw Failure(description: "unexpected end of JSON") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, TemplateValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(TemplateObject(ordered: [])) }
            while true {
                skipSpace()
                let key = try parseString()
                skipSpace()
                try expect(":")
                pairs.append((key, try parseValue()))
                skipSpace()
                if try expectEither(",", "}") == "}" { break }
            }
            return .object(TemplateObject(ordered: pairs))
        case UInt8(ascii: "["):
            i += 1
            var items: [TemplateValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            while true {
                items.append(try parseValue())
                skipSpace()
                if try expectEither(",", "]") == "]" { break }
            }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if let int = Int64(text) { return .int(int) }
            if let double = Double(text) { return .double(double) }
            throw Failure(description: "invalid JSON value at offset \(start)")
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw Failure(description: "invalid JSON literal at offset \(i)")
        }
        i += w.count
    }

    mutating func expect(_ c: Character) throws {
        guard i < bytes.count, bytes[i] == c.asciiValue! else { throw Failure(description: "expected '\(c)' at offset \(i)") }
        i += 1
    }

    mutating func expectEither(_ a: Character, _ b: Character) throws -> Character {
        guard i < bytes.count else { throw Failure(description: "unexpected end of JSON") }
        let c = bytes[i]
        i += 1
        if c == a.asciiValue! { return a }
        if c == b.asciiValue! { return b }
        throw Failure(description: "expected '\(a)' or '\(b)' at offset \(i - 1)")
    }

    mutating func parseString() throws -> String {
        try expect("\"")
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(e)
            }
        }
        throw Failure(description: "unterminated JSON string")
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw Failure(description: "bad \\u escape at offset \(i)")
        }
        i += 4
        return v
    }
}
