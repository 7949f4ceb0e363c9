import Foundation

/// docker's progress text for a transfer (`JSONProgress.String()` of its jsonmessage package):
/// `[=====>      ]  1.2MB/2.3MB` on wide outputs, only the numbers on narrow ones.
public enum ProgressBar {
    /// The text for `current` of `total` bytes at `width` columns (the daemon assumes 200).
    public static func render(current: Int64, total: Int64, width: Int = 200) -> String {
        if current <= 0 && total <= 0 { return "" }
        if total <= 0 { return pad(humanSize(Double(current))) }
        let percentage = min(Int(Double(current) / Double(total) * 100) / 2, 50)
        var bar = ""
        if width > 110 {
            bar = "[" + String(repeating: "=", count: percentage) + ">" + String(repeating: " ", count: max(50 - percentage, 0)) + "] "
        }
        let numbers = current > total
            ? pad(humanSize(Double(current)))
            : pad(humanSize(Double(current))) + "/" + humanSize(Double(total))
        return bar + numbers
    }

    /// go-units `HumanSize`: decimal units with 4 significant digits (`2.162MB`, `512B`).
    public static func humanSize(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var size = bytes
        var index = 0
        while size >= 1000 && index < units.count - 1 {
            size /= 1000
            index += 1
        }
        return String(format: "%.4g", size) + units[index]
    }

    /// Go's `%8v`: right-aligned in 8 columns.
    static func pad(_ text: String) -> String {
        text.count >= 8 ? text : String(repeating: " ", count: 8 - text.count) + text
    }
}
