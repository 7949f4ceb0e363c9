import DockerAPI
import Foundation

/// Sizes and durations as docker prints them (the go-units package's rules).
public enum HumanUnits {
    static let decimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    static let binaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]

    /// Decimal size with `precision` significant digits: `4.26MB` (`docker images` uses 3).
    public static func size(_ bytes: Double, precision: Int = 4) -> String {
        custom(bytes, base: 1000, units: decimalUnits, precision: precision)
    }

    /// Binary size with 4 significant digits: `1.5MiB` (`docker stats` memory).
    public static func binarySize(_ bytes: Double) -> String {
        custom(bytes, base: 1024, units: binaryUnits, precision: 4)
    }

    static func custom(_ value: Double, base: Double, units: [String], precision: Int) -> String {
        var size = value
        var i = 0
        while size >= base && i < units.count - 1 { size /= base; i += 1 }
        return goG(size, precision) + units[i]
    }

    /// Go's `%.<p>g`: like C's except the exponent has at least two digits (C agrees).
    static func goG(_ value: Double, _ precision: Int) -> String {
        String(format: "%.\(precision)g", value)
    }

    /// go-units `HumanDuration` (shared with the daemon: `DockerAPI.HumanDuration`).
    public static func duration(_ seconds: Double) -> String { HumanDuration.text(seconds) }

    /// `2 minutes ago` for a Unix time (docker's CREATED column).
    public static func ago(unixTime: Int64, now: Date = Date()) -> String {
        duration(now.timeIntervalSince1970 - Double(unixTime)) + " ago"
    }

    /// go-units `RAMInBytes`: `512m`, `1.5g`, `1024`, `2GiB`, `64k` (binary multiples).
    /// Errors read as go-units': `invalid size: 'abc'`.
    public static func ramInBytes(_ text: String) throws -> Int64 {
        try parseSize(text, base: 1024)
    }

    /// go-units `FromHumanSize`: decimal multiples (`--tmpfs size=`, `--shm-size` use binary; this is for the rest).
    public static func fromHumanSize(_ text: String) throws -> Int64 {
        try parseSize(text, base: 1000)
    }

    struct SizeError: Error, CustomStringConvertible {
        let description: String
    }

    static func parseSize(_ text: String, base: Double) throws -> Int64 {
        let invalid = SizeError(description: "invalid size: '\(text)'")
        var chars = Substring(text)
        var number = ""
        while let c = chars.first, c.isASCII, c.isNumber || c == "." { number.append(c); chars = chars.dropFirst() }
        guard !number.isEmpty, !number.hasPrefix("."), !number.hasSuffix("."), let value = Double(number) else { throw invalid }
        if chars.first == " " { chars = chars.dropFirst() }
        var suffix = chars.lowercased()
        let multipliers: [Character: Double] = ["k": 1, "m": 2, "g": 3, "t": 4, "p": 5]
        var power = 0.0
        if let first = suffix.first, let p = multipliers[first] { power = p; suffix.removeFirst() }
        if suffix.hasPrefix("i") { suffix.removeFirst() }
        if suffix.hasPrefix("b") { suffix.removeFirst() }
        guard suffix.isEmpty else { throw invalid }
        return Int64(value * pow(base, power))
    }
}
