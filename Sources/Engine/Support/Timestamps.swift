import Glibc

/// A wall-clock instant in nanoseconds since the Unix epoch, rendered the way docker does
/// (RFC 3339 with nanoseconds, UTC). Written by hand: Foundation's ISO 8601 formatter stops at
/// milliseconds, and docker clients compare these strings.
public struct Timestamp: Codable, Sendable, Equatable, Comparable, Hashable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Now, from CLOCK_REALTIME.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// Docker's zero time, used for "never".
    public static let zero = Timestamp(nanoseconds: 0)
    public static let zeroString = "0001-01-01T00:00:00Z"

    public var seconds: Int64 { nanoseconds / 1_000_000_000 }
    public var isZero: Bool { nanoseconds == 0 }

    /// `2026-11-25T21:54:33.123456789Z`; the zero time renders as docker's `0001-01-01T00:00:00Z`.
    public var rfc3339: String {
        if isZero { return Self.zeroString }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var fraction = String(nanoseconds % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(fraction)Z"
    }

    /// Parses docker's time arguments: RFC 3339 (with or without fraction/zone offset), Unix
    /// seconds with an optional fraction (`1700000000.5`), or a duration back from `now` (`10m`, `1h30m`).
    public static func parse(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        if let d = Double(text), !text.contains("e") {
            return Timestamp(nanoseconds: Int64((d * 1e9).rounded()))
        }
        if let duration = parseDuration(text) { return Timestamp(nanoseconds: now.nanoseconds - duration) }
        return parseRFC3339(text)
    }

    /// Go-style durations: `300ms`, `1.5h`, `2h45m`, `10s`.
    public static func parseDuration(_ text: String) -> Int64? {
        var total: Double = 0
        var number = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let value = Double(number) else { return false }
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return false
            }
            total += value * scale
            number = ""; unit = ""; sawAny = true
            return true
        }
        for ch in text {
            if ch.isNumber || ch == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else {
                guard !number.isEmpty else { return nil }
                unit.append(ch)
            }
        }
        if !number.isEmpty || !unit.isEmpty { guard flush() else { return nil } }
        return sawAny ? Int64(total) : nil
    }

    static func parseRFC3339(_ text: String) -> Timestamp? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int32? {
            guard from + count <= chars.count else { return nil }
            var v: Int32 = 0
            for i in from..<(from + count) {
                let c = chars[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int32(c - 48)
            }
            return v
        }
        guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900; parts.tm_mon = month - 1; parts.tm_mday = day
        var index = 10
        var nanos: Int64 = 0
        var offset: Int64 = 0
        if index < chars.count, chars[index] == UInt8(ascii: "T") || chars[index] == UInt8(ascii: " ") {
            guard let h = num(11, 2), let m = num(14, 2), let s = num(17, 2) else { return nil }
            parts.tm_hour = h; parts.tm_min = m; parts.tm_sec = s
            index = 19
            if index < chars.count, chars[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                    if digits < 9 { nanos = nanos * 10 + Int64(chars[index] - 48); digits += 1 }
                    index += 1
                }
                while digits < 9 { nanos *= 10; digits += 1 }
            }
            if index < chars.count {
                let sign = chars[index]
                if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    guard let oh = num(index + 1, 2), let om = num(index + 4, 2) else { return nil }
                    offset = Int64(oh) * 3600 + Int64(om) * 60
                    if sign == UInt8(ascii: "+") { offset = -offset }
                } else if sign != UInt8(ascii: "Z") { return nil }
            }
        } else if index != chars.count { return nil }
        let seconds = Int64(timegm(&parts)) + offset
        return Timestamp(nanoseconds: seconds * 1_000_000_000 + nanos)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }
}
