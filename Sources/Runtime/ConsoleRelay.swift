import CRuntime
import Glibc

/// The foreground console of `run`/`exec` with a terminal and no --console-socket
/// (as runc does): the runtime receives the pty master itself and copies between
/// it and its own stdio, with the caller's terminal in raw mode meanwhile.
struct ConsoleRelay {
    /// The end the container's process sends its pty master to.
    let childEnd: Int32
    private let ourEnd: Int32

    /// A connected socket pair standing in for a console socket.
    init() throws(RuntimeError) {
        var pair: [Int32] = [-1, -1]
        if socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) != 0 {
            throw .errno("creating console socket pair")
        }
        childEnd = pair[1]
        ourEnd = pair[0]
    }

    /// Receives the master (after the container process was created).
    func receiveMaster() throws(RuntimeError) -> Int32 {
        close(childEnd)
        defer { close(ourEnd) }
        let fd = berth_recv_fd(ourEnd)
        if fd < 0 { throw .system(operation: "receiving the pty master", path: nil, errno: -fd) }
        return fd
    }

    /// Copies stdin → master and master → stdout until the pty closes (every
    /// process of the container's session exited). Restores the terminal.
    static func relay(master: Int32) {
        var saved = termios()
        let isTTY = isatty(0) == 1 && tcgetattr(0, &saved) == 0
        if isTTY {
            var raw = saved
            cfmakeraw(&raw)
            tcsetattr(0, TCSANOW, &raw)
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 { _ = ioctl(master, UInt(TIOCSWINSZ), &size) }
        }
        defer { if isTTY { tcsetattr(0, TCSANOW, &saved) } }
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 32768)
        var stdinOpen = true
        while true {
            if !stdinOpen { fds[0].fd = -1 }
            let ready = poll(&fds, 2, -1)
            if ready < 0 { if errno == EINTR { continue }; return }
            if fds[1].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n <= 0 { return }  // EIO: the slave side is closed
                writeAll(1, buffer, n)
            }
            if stdinOpen && fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 { stdinOpen = false } else { writeAll(master, buffer, n) }
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) {
        var off = 0
        while off < count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + off, count - off) }
            if n <= 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }
}
