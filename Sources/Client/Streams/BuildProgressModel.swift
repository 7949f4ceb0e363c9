import DockerAPI

/// What a build's JSON-message stream has said so far, step by step: the state the `tty` view
/// draws. It reads the `berthStep` field berthd adds to the legacy `stream` messages (start, cache
/// hit, done); text without it while a step runs is that step's output (a RUN's), kept as lines.
/// The legacy builder runs one step at a time, so a step still running when the next one starts,
/// or when the build ends, finished then.
public struct BuildProgressModel: Sendable, Equatable {
    /// Where a step is.
    public enum State: Sendable, Equatable {
        /// Started and not finished.
        case running
        /// Its result came from the cache.
        case cached
        /// Finished.
        case done
        /// The build failed in this step.
        case error
    }

    /// One step of the build.
    public struct Step: Sendable, Equatable {
        /// Its number (1-based).
        public var number: Int
        /// The instruction as written (`RUN make`).
        public var name: String
        /// Where it is.
        public var state: State
        /// When it started (seconds, on the caller's clock).
        public var started: Double
        /// When it ended, once it has.
        public var ended: Double?
        /// Its output, as lines, the last `keptLines` of them.
        public var output = TerminalLines()
    }

    /// Output lines kept per step (the view shows fewer while the step runs, more for a failed step).
    public static let keptLines = 10

    /// The steps that have started, in order.
    public private(set) var steps: [Step] = []
    /// The number of steps in the build (0 until the first step says).
    public private(set) var total = 0
    /// When the first message came.
    public private(set) var started: Double?
    /// When the build ended (an image ID or an error arrived), once it has.
    public private(set) var ended: Double?
    /// The built image's ID.
    public private(set) var imageID: String?
    /// The error that ended the build.
    public private(set) var error: String?
    /// Text after the last step (`Successfully tagged x`), shown under the summary.
    public private(set) var trailer: [String] = []

    /// An empty model.
    public init() {}

    /// Takes in `message`, which arrived at `time`.
    public mutating func apply(_ message: JSONMessage, at time: Double) {
        if started == nil { started = time }
        if let text = message.errorDetail?.message ?? message.error {
            fail(text, at: time)
            return
        }
        if let id = message.aux?.id {
            imageID = id
            finishRunning(at: time)
            ended = ended ?? time
            return
        }
        if let mark = message.berthStep {
            total = mark.total
            switch mark.phase {
            case "start":
                finishRunning(at: time)
                steps.append(Step(number: mark.step, name: mark.name ?? "", state: .running, started: time))
            case "cached":
                end(mark.step, as: .cached, at: time)
            default:
                end(mark.step, as: .done, at: time)
            }
            return
        }
        guard let text = Self.text(of: message), !text.isEmpty else { return }
        if let last = steps.indices.last, steps[last].state == .running {
            steps[last].output.append(text)
        } else if ended != nil || steps.last.map({ $0.number == total }) == true {
            var lines = TerminalLines(keep: 50)
            lines.append(text)
            trailer += lines.lines + (lines.partial.isEmpty ? [] : [lines.partial])
        }
    }

    /// The text a message adds: its `stream`, or a pull's `id: status` line (byte-count updates left out).
    static func text(of message: JSONMessage) -> String? {
        if let stream = message.stream { return stream }
        guard let status = message.status, message.progressDetail?.current == nil, message.progressDetail?.total == nil else { return nil }
        return (message.id.map { $0 + ": " } ?? "") + status + "\n"
    }

    /// The build stopped with `text`: the running step, if any, failed.
    public mutating func fail(_ text: String, at time: Double) {
        error = text
        if let last = steps.indices.last, steps[last].state == .running {
            steps[last].state = .error
            steps[last].ended = steps[last].ended ?? time
        }
        ended = ended ?? time
    }

    /// Steps that are over (cached, done or failed).
    public var completed: Int { steps.filter { $0.state != .running }.count }

    private mutating func finishRunning(at time: Double) {
        for index in steps.indices where steps[index].state == .running {
            steps[index].state = .done
            steps[index].ended = time
        }
    }

    private mutating func end(_ number: Int, as state: State, at time: Double) {
        guard let index = steps.lastIndex(where: { $0.number == number }) else { return }
        steps[index].state = state
        steps[index].ended = time
    }
}

/// Terminal output cut into printable lines: `\n` ends a line, `\r` starts it over (progress bars),
/// tabs become spaces, escape sequences and other control characters are dropped — a line of the
/// view must be exactly one row. Only the last `keep` lines are kept.
public struct TerminalLines: Sendable, Equatable {
    /// Complete lines, oldest first.
    public private(set) var lines: [String] = []
    /// The line being written (no newline yet).
    public private(set) var partial = ""
    private var escape: EscapeState = .none
    private var carriageReturn = false
    private let keep: Int

    private enum EscapeState: Sendable, Equatable { case none, started, csi, osc }

    /// Lines keeping the last `keep`.
    public init(keep: Int = BuildProgressModel.keptLines) { self.keep = keep }

    /// The last `count` lines, the partial one included.
    public func tail(_ count: Int) -> [String] {
        let all = lines + (partial.isEmpty ? [] : [partial])
        return Array(all.suffix(count))
    }

    /// Adds `text`.
    public mutating func append(_ text: String) {
        for scalar in text.unicodeScalars {
            switch escape {
            case .started:
                escape = scalar == "[" ? .csi : (scalar == "]" ? .osc : .none)
                continue
            case .csi:
                if (0x40...0x7e).contains(scalar.value) { escape = .none }
                continue
            case .osc:
                if scalar.value == 0x07 || scalar.value == 0x1b { escape = scalar.value == 0x1b ? .started : .none }
                continue
            case .none:
                break
            }
            if carriageReturn {
                carriageReturn = false
                if scalar.value != 0x0a { partial = "" }
            }
            switch scalar.value {
            case 0x0a:
                lines.append(partial)
                partial = ""
                if lines.count > keep { lines.removeFirst(lines.count - keep) }
            case 0x0d:
                carriageReturn = true
            case 0x09:
                partial += "    "
            case 0x1b:
                escape = .started
            case 0..<0x20, 0x7f, 0x80..<0xa0:
                continue
            default:
                partial.unicodeScalars.append(scalar)
            }
        }
    }
}
