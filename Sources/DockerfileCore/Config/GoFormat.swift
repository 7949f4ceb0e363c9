/// The bits of Go's fmt that docker's history text is written with.
enum GoFormat {
    /// `strconv.Quote`: double-quoted, with Go's escapes.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            out += escaped(scalar, quote: "\"")
        }
        return out + "\""
    }

    /// `%q` of an int (`strconv.QuoteRune`), e.g. `'\x03'`.
    static func quoteRune(_ value: Int) -> String {
        guard let scalar = Unicode.Scalar(UInt32(clamping: max(0, value))), value <= 0x10FFFF else { return "'\u{FFFD}'" }
        return "'" + escaped(scalar, quote: "'") + "'"
    }

    private static func escaped(_ scalar: Unicode.Scalar, quote: Unicode.Scalar) -> String {
        switch scalar {
        case quote, "\\": return "\\" + String(scalar)
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        default:
            if isPrintable(scalar) { return String(scalar) }
            let value = scalar.value
            if value < 0x80 { return "\\x" + hex(value, width: 2) }
            if value < 0x10000 { return "\\u" + hex(value, width: 4) }
            return "\\U" + hex(value, width: 8)
        }
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || scalar.value == 0x7F { return false }
        if scalar.value < 0x7F { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
        case .spaceSeparator: return scalar.value == 0x20
        default: return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `%q` of a `[]string`: `["a" "b"]`.
    static func quoteList(_ items: [String]) -> String {
        "[" + items.map(quote).joined(separator: " ") + "]"
    }

    /// `%v` of a `[]string`: `[a b]`.
    static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }

    /// `time.Duration.String()` of nanoseconds: `1h2m3.5s`, `1.5ms`, `0s`.
    static func duration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let value = nanoseconds.magnitude
        var out: String
        if value < 1_000_000_000 {
            let (unit, scale): (String, UInt64) = value < 1_000 ? ("ns", 1) : value < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = fraction(value, scale: scale) + unit
        } else {
            let hours = value / 3_600_000_000_000
            let minutes = (value / 60_000_000_000) % 60
            let seconds = fraction(value % 60_000_000_000, scale: 1_000_000_000) + "s"
            if hours > 0 {
                out = "\(hours)h\(minutes)m" + seconds
            } else if minutes > 0 {
                out = "\(minutes)m" + seconds
            } else {
                out = seconds
            }
        }
        return negative ? "-" + out : out
    }

    /// `value / scale` with the fraction's trailing zeros removed.
    private static func fraction(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        var remainder = value % scale
        guard remainder > 0 else { return "\(whole)" }
        var digits = String(remainder)
        let width = String(scale).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") {
            digits.removeLast()
            remainder /= 10
        }
        return "\(whole).\(digits)"
    }

    /// `time.ParseDuration`: `300ms`, `1.5h`, `2h45m`, `-1s`; nil when invalid.
    static func parseDuration(_ text: String) -> Int64? {
        var scalars = Array(text.unicodeScalars)[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        if scalars.count == 1 && scalars.first == "0" { return 0 }
        if scalars.isEmpty { return nil }
        var total: Double = 0
        while !scalars.isEmpty {
            var number = ""
            while let ch = scalars.first, ch.properties.numericType != nil && ch.isASCII || ch == "." {
                number.unicodeScalars.append(ch)
                scalars = scalars.dropFirst()
            }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number) else { return nil }
            var unit = ""
            while let ch = scalars.first, !(ch.isASCII && (ch.properties.numericType != nil || ch == ".")) {
                unit.unicodeScalars.append(ch)
                scalars = scalars.dropFirst()
            }
            let multipliers: [String: Double] = [
                "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
            ]
            guard let multiplier = multipliers[unit] else { return nil }
            total += value * multiplier
        }
        guard total < 9.3e18 else { return nil }
        let result = Int64(total.rounded(.towardZero))
        return negative ? -result : result
    }
}

/// Go's `%q` of a string.
func goQuote(_ text: String) -> String { GoFormat.quote(text) }
