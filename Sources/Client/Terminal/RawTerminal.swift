import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The caller's terminal: raw mode for `-t` (restored on every exit path) and its size.
public final class RawTerminal: @unchecked Sendable {
    private let fd: Int32
    private var saved: termios?

    public init(fd: Int32) { self.fd = fd }

    /// True if `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The size of the terminal on `fd` as (rows, columns), if it is one.
    public static func size(of fd: Int32) -> (rows: Int, cols: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_row), Int(ws.ws_col))
    }

    /// Puts the terminal in raw mode (like `cfmakeraw`, as docker's `term.MakeRaw`).
    public func makeRaw() {
        var current = termios()
        guard tcgetattr(fd, &current) == 0 else { return }
        saved = current
        cfmakeraw(&current)
        // Keep output post-processing off like cfmakeraw; docker also leaves OPOST off.
        _ = tcsetattr(fd, TCSANOW, &current)
    }

    /// Restores the mode saved by `makeRaw`.
    public func restore() {
        guard var state = saved else { return }
        _ = tcsetattr(fd, TCSANOW, &state)
        saved = nil
    }

    deinit { restore() }
}

/// Calls `onResize(rows, cols)` on every SIGWINCH (and once at start).
public final class WindowResizeMonitor: @unchecked Sendable {
    private var source: DispatchSourceSignal?

    public init(fd: Int32, onResize: @escaping @Sendable (Int, Int) -> Void) {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: DispatchQueue.global())
        source.setEventHandler {
            if let size = RawTerminal.size(of: fd) { onResize(size.rows, size.cols) }
        }
        source.resume()
        self.source = source
        if let size = RawTerminal.size(of: fd) { onResize(size.rows, size.cols) }
    }

    /// Stops watching.
    public func cancel() { source?.cancel(); source = nil }
}
