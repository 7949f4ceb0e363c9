/// One control-socket request: a text line such as `attach 1` or `resize 24 80`.
enum Command: Equatable {
    case start
    case attach(stdin: Bool)
    case resize(rows: UInt16, cols: UInt16)
    case kill(signal: Int32)
    case wait
    case status
    /// Not understood; the text is the reply after "error ".
    case invalid(String)

    /// Parses one line (without its newline).
    static func parse(_ line: String) -> Command {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let name = words.first else { return .invalid("unknown command: \(line)") }
        let rest = words.dropFirst()
        switch (name, rest.count) {
        case ("start", 0): return .start
        case ("wait", 0): return .wait
        case ("status", 0): return .status
        case ("attach", 0): return .attach(stdin: false)
        case ("attach", 1) where rest.first == "0" || rest.first == "1": return .attach(stdin: rest.first == "1")
        case ("resize", 2):
            guard let rows = UInt16(rest[rest.startIndex]), let cols = UInt16(rest[rest.startIndex + 1]) else { break }
            return .resize(rows: rows, cols: cols)
        case ("kill", 1):
            guard let signal = Int32(rest[rest.startIndex]), signal > 0, signal < 65 else { break }
            return .kill(signal: signal)
        case ("start", _), ("wait", _), ("status", _), ("attach", _), ("resize", _), ("kill", _):
            break
        default:
            return .invalid("unknown command: \(line)")
        }
        let usage: [Substring: String] = [
            "start": "start", "wait": "wait", "status": "status", "attach": "attach <stdin 0|1>",
            "resize": "resize <rows> <cols>", "kill": "kill <signal number>",
        ]
        return .invalid("usage: \(usage[name] ?? String(name)) (got: \(line))")
    }
}
