/// The lines `berth build --progress=tty` draws, in the manner of buildkit's terminal view:
///
/// ```
/// [+] Building 2.4s (2/4)
///  => DONE [1/4] FROM busybox                                   0.0s
///  => CACHED [2/4] COPY app /app                                0.0s
///  => [3/4] RUN make                                            1.2s
///  => => # cc -o app main.c
/// ```
///
/// A running step shows its elapsed time and its last output lines; a finished one DONE and its
/// time; CACHED; ERROR. The final frame is the summary: every step, no output but the failed
/// step's last lines, and the header says FINISHED or ERROR. Every line fits in `width - 1`
/// columns, so none wraps and the frame can be redrawn in place.
public struct BuildTTYView: Sendable {
    /// The terminal's width in columns.
    public var width: Int
    /// The most lines a frame may have (the terminal's height less one); older steps give way.
    public var height: Int
    /// Output lines shown under a running step.
    public static let runningOutputLines = 6
    /// Output lines kept under a failed step in the summary.
    public static let failedOutputLines = BuildProgressModel.keptLines

    /// A view for a terminal of `width` × `height`.
    public init(width: Int = 80, height: Int = 40) {
        self.width = max(width, 20)
        self.height = max(height, 4)
    }

    /// The frame for `model` at `now`; `final` draws the summary.
    public func frame(_ model: BuildProgressModel, now: Double, final: Bool) -> [String] {
        let start = model.started ?? now
        var header = "[+] Building \(Self.seconds((model.ended ?? now) - start)) (\(model.completed)/\(model.total))"
        if final { header += model.error == nil ? " FINISHED" : " ERROR" }
        var body: [String] = []
        for step in model.steps {
            body.append(line(step, total: model.total, now: now))
            let shown: [String]
            switch step.state {
            case .running where !final: shown = step.output.tail(Self.runningOutputLines)
            case .error: shown = step.output.tail(Self.failedOutputLines)
            default: shown = []
            }
            body += shown.map { fit(" => => # " + $0) }
        }
        if final {
            body += model.trailer.map { fit($0) }
        } else if body.count > height - 1 {
            body = Array(body.suffix(height - 1))
        }
        return [fit(header)] + body
    }

    /// One step's line: state, `[n/N]`, the instruction, its time at the right edge.
    func line(_ step: BuildProgressModel.Step, total: Int, now: Double) -> String {
        let label: String
        switch step.state {
        case .running: label = ""
        case .cached: label = "CACHED "
        case .done: label = "DONE "
        case .error: label = "ERROR "
        }
        let left = " => \(label)[\(step.number)/\(total)] \(step.name)"
        let time = Self.seconds((step.ended ?? now) - step.started)
        let room = width - 1 - time.count - 1
        let shownLeft = Self.columns(left) > room ? Self.prefix(left, columns: max(room - 3, 0)) + "..." : left
        return shownLeft + String(repeating: " ", count: max(room - Self.columns(shownLeft), 0)) + " " + time
    }

    /// `text` cut to `width - 1` columns.
    func fit(_ text: String) -> String {
        Self.columns(text) > width - 1 ? Self.prefix(text, columns: width - 1) : text
    }

    /// The columns `text` takes on a terminal: 2 for East Asian wide and emoji characters, else 1
    /// (a line that is wider than counted would wrap and break the redraw).
    static func columns(_ text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The longest start of `text` that fits in `columns`.
    static func prefix(_ text: String, columns limit: Int) -> String {
        var used = 0
        var result = ""
        for character in text {
            let width = columns(of: character)
            if used + width > limit { break }
            used += width
            result.append(character)
        }
        return result
    }

    static func columns(of character: Character) -> Int {
        let wide = character.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
                 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD: return true
            default: return false
            }
        }
        return wide ? 2 : 1
    }

    /// `1.2s`, tenths rounded.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((max(value, 0) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)s"
    }
}

/// Replaces the previous frame on a terminal with the next one: cursor up over the old frame,
/// each line rewritten and cleared to its end, whatever the old frame had below cleared.
public struct TerminalFrame: Sendable {
    /// Lines of the frame on screen.
    public private(set) var height = 0

    /// A writer with nothing on screen yet.
    public init() {}

    /// The bytes that turn the frame on screen into `lines`; the cursor ends below the frame.
    public mutating func redraw(_ lines: [String]) -> String {
        var text = height > 0 ? "\u{1b}[\(height)A\r" : "\r"
        for line in lines { text += line + "\u{1b}[K\n" }
        text += "\u{1b}[J"
        height = lines.count
        return text
    }
}
