import Glibc

/// Input on its way to the process: the stdin pipe's write end (non-tty) or the pty master.
/// Bytes wait in a queue while the process is not reading, or before it exists (exec mode).
struct StdinWriter {
    /// Above this the attach clients that send stdin are no longer read.
    static let highWater = 256 * 1024

    private(set) var fd: Int32 = -1
    /// The pipe is ours to close; the pty master belongs to the shim.
    private var ownsFD = false
    private var queue = ByteQueue()
    /// Close the pipe once the queue is out (a client sent close-stdin).
    private var closeRequested = false
    /// No more input will ever be taken.
    private(set) var closed = false

    var isFull: Bool { queue.count >= Self.highWater }
    var wantsWritable: Bool { fd >= 0 && !queue.isEmpty }

    /// Sets where input goes (once the process exists).
    mutating func attach(fd: Int32, ownsFD: Bool) {
        guard !closed else {
            if ownsFD { close(fd) }
            return
        }
        Sys.setNonBlocking(fd)
        self.fd = fd
        self.ownsFD = ownsFD
        flush()
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard !closed && !closeRequested else { return }
        queue.append(bytes)
        flush()
    }

    /// Closes the pipe after what is queued (non-tty close-stdin).
    mutating func requestClose() {
        guard !closed else { return }
        closeRequested = true
        flush()
    }

    mutating func flush() {
        guard fd >= 0 else { return }
        var error: Int32 = 0
        if !queue.flush(to: fd, error: &error) {
            // EPIPE: the process closed its stdin or exited; input has nowhere to go.
            shut()
            return
        }
        if closeRequested && queue.isEmpty { shut() }
    }

    /// Stops taking input and closes the pipe (not the pty master).
    mutating func shut() {
        queue.removeAll()
        if ownsFD && fd >= 0 { close(fd) }
        fd = -1
        closed = true
    }
}
