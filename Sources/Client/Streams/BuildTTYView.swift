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
        let shownLeft = left.count > room ? String(left.prefix(max(room - 3, 0))) + "..." : left
        return shownLeft + String(repeating: " ", count: max(room - shownLeft.count, 0)) + " " + time
    }

    /// `text` cut to `width - 1` columns.
    func fit(_ text: String) -> String {
        text.count > width - 1 ? String(text.prefix(width - 1)) : text
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
