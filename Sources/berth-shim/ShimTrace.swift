import Glibc

/// Phase timings (CLOCK_MONOTONIC, microseconds) appended to /tmp/berth-shim.trace when
/// BERTH_TRACE is set: for measuring the start path.
enum ShimTrace {
    nonisolated(unsafe) static let enabled = getenv("BERTH_TRACE") != nil

    static func mark(_ phase: String) {
        guard enabled else { return }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let line = "\(getpid()) \(Int(ts.tv_sec) * 1_000_000 + ts.tv_nsec / 1000) \(phase)\n"
        let fd = open("/tmp/berth-shim.trace", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}
