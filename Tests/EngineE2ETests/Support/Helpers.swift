import Foundation
import Glibc
import Testing

/// Polls `condition` every `interval` seconds until it is true or `timeout` passes; returns the last value.
@discardableResult
func eventually(timeout: Double = 10, interval: Double = 0.1, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if condition() { return true }
        if Date() >= deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}

/// Whether `text` contains a match of the regular expression `pattern`.
func matches(_ text: String, _ pattern: String) -> Bool {
    guard let regex = try? Regex(pattern) else {
        Issue.record("bad regular expression in the test: \(pattern)")
        return false
    }
    return text.contains(regex)
}

/// A unique container/volume/image name for one test: `e2e-<label>-<4 hex>`.
func uniqueName(_ label: String) -> String {
    "e2e-\(label)-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
}

/// docker's table output (tabwriter): columns start where the header's labels start.
struct Table {
    let header: [String]
    let rows: [[String: String]]

    /// `labels` are the expected header labels in order (labels may contain single spaces).
    init(_ text: String, labels: [String]) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let head = try #require(lines.first, "no header in:\n\(text)")
        var starts: [Int] = []
        var searchFrom = head.startIndex
        for label in labels {
            let range = try #require(head.range(of: label, range: searchFrom..<head.endIndex),
                                     "header \(head.debugDescription) lacks \(label.debugDescription)")
            starts.append(head.distance(from: head.startIndex, to: range.lowerBound))
            searchFrom = range.upperBound
        }
        #expect(starts.first == 0, "the first column starts the line: \(head.debugDescription)")
        header = labels
        rows = lines.dropFirst().map { line in
            var row: [String: String] = [:]
            let chars = Array(line)
            for (i, label) in labels.enumerated() {
                let from = min(starts[i], chars.count)
                let to = i + 1 < starts.count ? min(starts[i + 1], chars.count) : chars.count
                row[label] = String(chars[from..<to]).trimmingCharacters(in: .whitespaces)
            }
            return row
        }
    }

    func row(where label: String, is value: String) -> [String: String]? {
        rows.first { $0[label] == value }
    }
}

/// Decodes JSON text into Foundation values.
func parseJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Any? {
    do {
        return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
        Issue.record("not JSON (\(error)): \(text)", sourceLocation: sourceLocation)
        return nil
    }
}

/// `a.b.c` path lookup in decoded JSON dictionaries.
func value(_ object: Any?, _ path: String) -> Any? {
    var current = object
    for key in path.split(separator: ".") {
        guard let dict = current as? [String: Any] else { return nil }
        current = dict[String(key)]
    }
    return current
}

/// Seconds since the epoch with nanosecond digits, as docker's --since/--until take them.
func unixTimestamp(_ date: Date) -> String {
    String(format: "%.9f", date.timeIntervalSince1970)
}
