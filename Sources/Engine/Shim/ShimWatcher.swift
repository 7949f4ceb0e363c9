import Foundation
import Glibc

/// One thread that holds a `wait` connection to every running shim and reports each exit.
/// poll() over all of them: a hundred containers cost one thread, not a hundred.
final class ShimWatcher: @unchecked Sendable {
    /// What the watcher learned: the exit code and time, or that the shim vanished without one.
    enum Outcome: Sendable { case exited(code: Int, at: Timestamp), shimLost }
    typealias Handler = @Sendable (Outcome) -> Void

    private struct Entry { var fd: Int32; var handler: Handler; var buffer: [UInt8] }
    private let lock = NSLock()
    private var entries: [Int32: Entry] = [:]
    private let wake: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [0, 0]
        _ = ChildProcess.makePipe(&fds, nonBlocking: true)
        wake = (fds[0], fds[1])
        let thread = Thread { [self] in loop() }
        thread.name = "berth-shim-watcher"
        thread.start()
    }

    /// Connects to the shim at `socket`, asks `wait`, and calls `handler` once with the outcome.
    /// Returns false when no shim answers there.
    func watch(socket: String, handler: @escaping Handler) -> Bool {
        guard let fd = ShimSocket.connect(socket) else { return false }
        guard ShimSocket.send(fd, "wait\n") else { close(fd); return false }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        lock.withLock { entries[fd] = Entry(fd: fd, handler: handler, buffer: []) }
        var one: UInt8 = 1
        _ = write(wake.write, &one, 1)
        return true
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let fds = lock.withLock { Array(entries.keys) }
            var polls = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            polls += fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let n = poll(&polls, nfds_t(polls.count), -1)
            if n < 0 { continue }
            if polls[0].revents != 0 { while read(wake.read, &buffer, buffer.count) > 0 {} }
            for p in polls.dropFirst() where p.revents != 0 {
                let count = read(p.fd, &buffer, buffer.count)
                if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                var finished: (Handler, Outcome)?
                lock.withLock {
                    guard var entry = entries[p.fd] else { return }
                    if count > 0 {
                        entry.buffer += buffer[0..<count]
                        if let newline = entry.buffer.firstIndex(of: 10) {
                            let line = String(decoding: entry.buffer[..<newline], as: UTF8.self)
                            finished = (entry.handler, Self.parse(line))
                        } else {
                            entries[p.fd] = entry
                            return
                        }
                    } else {
                        finished = (entry.handler, .shimLost)
                    }
                    entries[p.fd] = nil
                }
                if let (handler, outcome) = finished {
                    close(p.fd)
                    handler(outcome)
                }
            }
        }
    }

    /// `exit <code> <nanos>`.
    static func parse(_ line: String) -> Outcome {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == "exit", let code = Int(parts[1]), let nanos = Int64(parts[2]) else { return .shimLost }
        return .exited(code: code, at: Timestamp(nanoseconds: nanos))
    }
}
