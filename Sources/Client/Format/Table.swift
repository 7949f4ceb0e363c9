/// Aligns tab-separated cells like Go's `text/tabwriter` with docker's settings
/// (`minwidth 10, tabwidth 1, padding 3, padchar ' '`): every cell that ends in a
/// tab is padded to its column's widest cell plus 3, at least 10; the last cell
/// of a line is written as is. Columns are aligned per block of consecutive
/// lines that have that column (as tabwriter does).
public struct TabWriter {
    public var minWidth = 10
    public var padding = 3

    public init(minWidth: Int = 10, padding: Int = 3) { self.minWidth = minWidth; self.padding = padding }

    /// Formats `text` (lines separated by `\n`, cells by `\t`).
    public func format(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n").map { $0.components(separatedBy: "\t") }
        let endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        var widths = Array(repeating: [Int](), count: lines.count)
        for (i, cells) in lines.enumerated() { widths[i] = Array(repeating: 0, count: max(0, cells.count - 1)) }
        // Column c of a block: consecutive lines having a terminated cell c.
        let maxColumns = lines.map { $0.count - 1 }.max() ?? 0
        for column in 0..<max(0, maxColumns) {
            var start = 0
            while start < lines.count {
                guard lines[start].count - 1 > column else { start += 1; continue }
                var end = start
                var width = 0
                while end < lines.count, lines[end].count - 1 > column {
                    width = max(width, lines[end][column].unicodeScalars.count + padding)
                    end += 1
                }
                width = max(width, minWidth)
                for row in start..<end { widths[row][column] = width }
                start = end
            }
        }
        var out = ""
        for (i, cells) in lines.enumerated() {
            for (c, cell) in cells.enumerated() {
                out += cell
                if c < cells.count - 1 {
                    out += String(repeating: " ", count: widths[i][c] - cell.unicodeScalars.count)
                }
            }
            if i < lines.count - 1 || endsWithNewline { out += "\n" }
        }
        return out
    }
}
