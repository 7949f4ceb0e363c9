import Glibc

/// The runtime's log: runc's `--log` / `--log-format` (text or json lines), else stderr.
public enum Log {
    nonisolated(unsafe) static var fd: Int32 = 2
    nonisolated(unsafe) static var json = false

    /// Directs the log to `path` (appending) in `format` ("text" or "json").
    public static func configure(path: String?, format: String) {
        json = format == "json"
        if let path, !path.isEmpty {
            let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            if f >= 0 { fd = f }
        }
    }

    /// Whether the log goes to a file, so errors must also reach stderr.
    public static var logsElsewhere: Bool { fd != 2 }

    /// Phase timings when BERTH_TRACE is set (for measuring the start path): lines of
    /// `<pid> <CLOCK_MONOTONIC µs> <phase>` appended to /tmp/berth-shim.trace, beside the shim's.
    nonisolated(unsafe) static let tracing = getenv("BERTH_TRACE") != nil

    /// Appends a trace line when tracing.
    public static func trace(_ phase: @autoclosure () -> String) {
        guard tracing else { return }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let line = "\(getpid()) \(Int(ts.tv_sec) * 1_000_000 + ts.tv_nsec / 1000) runtime: \(phase())\n"
        let fd = open("/tmp/berth-shim.trace", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Logs an error.
    public static func error(_ message: String) { write(level: "error", message) }
    /// Logs a warning.
    public static func warning(_ message: String) { write(level: "warning", message) }

    static func write(level: String, _ message: String) {
        let line: String
        if json {
            line = "{\"level\":\"\(level)\",\"msg\":\(jsonString(message)),\"time\":\"\(Clock.rfc3339())\"}\n"
        } else {
            line = "time=\"\(Clock.rfc3339())\" level=\(level) msg=\(jsonString(message))\n"
        }
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}

/// Wall-clock timestamps.
public enum Clock {
    /// Now as RFC 3339 with nanoseconds, UTC ("2026-11-25T19:22:12.123456789Z").
    public static func rfc3339() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tm = Glibc.tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        let nanos = String(ts.tv_nsec)
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(String(repeating: "0", count: 9 - nanos.count) + nanos)Z"
    }
}
