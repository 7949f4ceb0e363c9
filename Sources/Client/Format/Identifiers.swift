import Foundation

/// Display helpers shared by the list formatters.
public enum Display {
    /// A 12-character ID without its `sha256:` prefix.
    public static func shortID(_ id: String) -> String {
        var text = Substring(id)
        if let colon = text.firstIndex(of: ":") { text = text[text.index(after: colon)...] }
        return String(text.prefix(12))
    }

    /// docker's `formatter.Ellipsis`: at most `width` characters, the last one `…` when cut.
    public static func ellipsis(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let chars = Array(text)
        guard chars.count > width else { return text }
        if width == 1 { return String(chars[0]) }
        return String(chars[0..<(width - 1)]) + "…"
    }

    /// Go's `time.Time.String()` of a Unix time in the local zone: `2024-05-01 10:00:00 +0200 CEST`.
    public static func goTimeString(unix: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z zzz"
        var text = formatter.string(from: Date(timeIntervalSince1970: Double(unix)))
        if text.hasSuffix("GMT") { text = String(text.dropLast(3)) + "UTC" }
        return text
    }

    /// RFC 3339 with nine fraction digits in the local zone (`Z` for UTC), as docker events prints.
    public static func rfc3339NanoFixed(timeNano: Int64) -> String {
        let seconds = timeNano / 1_000_000_000, nanos = timeNano % 1_000_000_000
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let base = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
        let offset = TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        let zone = offset == 0 ? "Z" : String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return base + String(format: ".%09lld", nanos) + zone
    }

    /// Parses RFC 3339 (with or without fractional seconds) to a Unix time.
    public static func parseRFC3339(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        // Nanosecond fractions are too long for the formatter: cut to milliseconds.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let fraction = text[text.index(after: dot)..<zone].prefix(3)
            if let date = formatter.date(from: String(text[..<dot]) + "." + fraction + text[zone...]) { return date.timeIntervalSince1970 }
        }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// Splits `repo:tag` / `repo@digest` at the right separator (a `:` in a registry port is not a tag).
    public static func splitReference(_ reference: String) -> (repo: String, tag: String?, digest: String?) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), nil, String(reference[reference.index(after: at)...]))
        }
        if let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]), nil)
        }
        return (reference, nil, nil)
    }
}
