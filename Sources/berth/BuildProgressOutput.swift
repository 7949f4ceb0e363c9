import Client
import DockerAPI
import Foundation
import Synchronization

/// How `berth build` shows the daemon's JSON-message stream (`--progress`).
enum BuildProgressMode: Equatable {
    /// docker's legacy text on stdout: steps, cache hits, RUN output as it comes.
    case plain
    /// A live view on stderr: one line per step, redrawn in place (`BuildTTYView`).
    case tty
    /// Nothing but the image ID at the end (`-q`).
    case quiet

    /// The mode for `--progress` (`auto`: tty when stderr is a terminal), `-q` first.
    static func resolve(_ flag: String, quiet: Bool, stderrIsTerminal: Bool) -> BuildProgressMode {
        if quiet { return .quiet }
        switch flag {
        case "tty": return .tty
        case "plain": return .plain
        default: return stderrIsTerminal ? .tty : .plain
        }
    }
}

/// Reads a build's answer and shows it in `mode`; returns the built image's ID.
/// An error message in the stream ends the build with that error. In `tty` mode the view starts
/// with the first step event; a daemon that sends none (text before any `berthStep`, as dockerd's
/// legacy builder) is shown as plain text instead.
func showBuildStream(_ body: ByteSource, mode: BuildProgressMode) throws -> String {
    let lines = LineReader(body)
    var shown = mode
    var display: TTYBuildDisplay?
    var imageID: String?
    // A base image's pull, as `berth pull` prints it without a terminal.
    var plainStatus = JSONMessageRenderer(isTerminal: false) { outRaw($0) }
    do {
        while let line = try lines.next() {
            guard !line.isEmpty, let message = try? JSONDecoder().decode(JSONMessage.self, from: Data(line)) else { continue }
            if shown == .tty, display == nil {
                if message.berthStep != nil {
                    display = TTYBuildDisplay()
                    display?.start()
                } else if message.stream != nil || message.status != nil {
                    shown = .plain
                }
            }
            display?.apply(message)
            if let error = message.errorDetail?.message ?? message.error {
                display?.finish()
                throw CLIExit(1, error)
            }
            if let id = message.aux?.id { imageID = id; continue }
            if shown == .plain {
                if let stream = message.stream { outRaw(stream) } else if message.status != nil { try plainStatus.render(message) }
            }
        }
    } catch {
        display?.finish()
        throw error
    }
    display?.finish()
    guard let imageID else { throw CLIExit(1, "the daemon did not report the built image") }
    return imageID
}

/// The tty view on stderr: messages update the model and redraw; a thread redraws every 100 ms
/// so running steps' times advance while the daemon is quiet; `finish` draws the summary.
final class TTYBuildDisplay: Sendable {
    private struct State {
        var model = BuildProgressModel()
        var frame = TerminalFrame()
        var lastDraw = 0.0
        var finished = false
    }

    private let state = Mutex(State())

    /// The view for the terminal's size now (it may have been resized since the last frame).
    private var view: BuildTTYView {
        let size = RawTerminal.size(of: 2)
        return BuildTTYView(width: size?.cols ?? 80, height: size?.rows ?? 40)
    }

    /// Starts the redraw thread.
    func start() {
        Thread.detachNewThread { [self] in
            while true {
                usleep(100_000)
                if !tick() { return }
            }
        }
    }

    /// Takes in a message; redraws when a step changed or 50 ms passed.
    func apply(_ message: JSONMessage) {
        state.withLock { state in
            guard !state.finished else { return }
            let now = Self.now()
            state.model.apply(message, at: now)
            if message.berthStep != nil || now - state.lastDraw >= 0.05 { draw(&state, now: now, final: false) }
        }
    }

    /// Redraws; false once finished.
    private func tick() -> Bool {
        state.withLock { state in
            guard !state.finished else { return false }
            draw(&state, now: Self.now(), final: false)
            return true
        }
    }

    /// Draws the summary (once).
    func finish() {
        state.withLock { state in
            guard !state.finished else { return }
            state.finished = true
            draw(&state, now: Self.now(), final: true)
        }
    }

    private func draw(_ state: inout State, now: Double, final: Bool) {
        let text = state.frame.redraw(view.frame(state.model, now: now, final: final))
        state.lastDraw = now
        try? FileDescriptorSink.stderr.write(text)
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
