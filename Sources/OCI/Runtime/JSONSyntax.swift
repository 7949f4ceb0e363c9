// Foundation's JSONDecoder says only "The given data was not valid JSON". This scanner finds
// where: it walks the bytes once (RFC 8259 grammar) and reports the first offending position.

/// Locates the first syntax error in a JSON document, for error messages.
struct JSONSyntax {
    private let bytes: [UInt8]
    private var index = 0

    /// "unexpected character ',' at line 1, column 25", or nil when the bytes are valid JSON.
    static func firstError(in bytes: [UInt8]) -> String? {
        var scanner = JSONSyntax(bytes: bytes)
        do {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.index < bytes.count { throw scanner.unexpected() }
            return nil
        } catch let failure as Failure {
            return failure.text
        } catch {
            return "\(error)"
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private struct Failure: Error { let text: String }

    private func position() -> String {
        var line = 1
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return "line \(line), column \(column)"
    }

    private func unexpected() -> Failure {
        guard index < bytes.count else { return Failure(text: "unexpected end of data at \(position())") }
        let byte = bytes[index]
        let shown = (0x20..<0x7f).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return Failure(text: "unexpected character \(shown) at \(position())")
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ char: Unicode.Scalar) throws {
        guard current == UInt8(ascii: char) else { throw unexpected() }
        index += 1
    }

    private mutating func value(depth: Int) throws {
        guard depth < 512 else { throw Failure(text: "nesting deeper than 512 at \(position())") }
        switch current {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                try string()
                skipSpace()
                try expect(":")
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("}")
                return
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return }
            while true {
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("]")
                return
            }
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
            try number()
        default:
            throw unexpected()
        }
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard current == byte else { throw unexpected() }
            index += 1
        }
    }

    private mutating func string() throws {
        try expect("\"")
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = current else { throw unexpected() }
                if escaped == UInt8(ascii: "u") {
                    index += 1
                    for _ in 0..<4 {
                        guard let hex = current, (Character(Unicode.Scalar(hex))).isHexDigit else { throw unexpected() }
                        index += 1
                    }
                } else if "\"\\/bfnrt".utf8.contains(escaped) {
                    index += 1
                } else {
                    throw unexpected()
                }
            case 0..<0x20:
                throw Failure(text: "control character in a string at \(position())")
            default:
                index += 1
            }
        }
        throw unexpected()
    }

    private mutating func number() throws {
        if current == UInt8(ascii: "-") { index += 1 }
        try digits()
        if current == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    private mutating func digits() throws {
        guard let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw unexpected() }
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
    }
}
