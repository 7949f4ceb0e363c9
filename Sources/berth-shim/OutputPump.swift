import Glibc

/// Reads the process's output — the stdout and stderr pipes, or the pty master — and hands
/// every chunk to `sink` (the log and the attach clients). Never blocks.
final class OutputPump {
    /// One descriptor the process writes to.
    struct Source {
        var fd: Int32
        var stream: UInt8
        /// Closed by the pump at EOF (the pipes); the pty master is also the stdin target, so its owner closes it.
        var closeAtEnd: Bool
    }

    private(set) var sources: [Source] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
    private let sink: (UInt8, UnsafeRawBufferPointer) -> Void

    init(sink: @escaping (UInt8, UnsafeRawBufferPointer) -> Void) {
        self.sink = sink
    }

    deinit { buffer.deallocate() }

    var isDrained: Bool { sources.isEmpty }

    func add(fd: Int32, stream: UInt8, closeAtEnd: Bool) {
        Sys.setNonBlocking(fd)
        sources.append(Source(fd: fd, stream: stream, closeAtEnd: closeAtEnd))
    }

    /// Reads what `fd` holds now (a few buffers at most, so one busy stream cannot starve the loop).
    func readReady(_ fd: Int32) {
        guard let index = sources.firstIndex(where: { $0.fd == fd }) else { return }
        let stream = sources[index].stream
        for _ in 0..<4 {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                sink(stream, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                if n < buffer.count { return }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            // 0 is EOF on a pipe; a pty master reads EIO once every slave is closed.
            remove(at: index)
            return
        }
    }

    /// Takes what is left without waiting, then stops reading every source.
    func drainAndClose() {
        for source in sources { readReady(source.fd) }
        while !sources.isEmpty { remove(at: 0) }
    }

    private func remove(at index: Int) {
        let source = sources.remove(at: index)
        if source.closeAtEnd { close(source.fd) }
    }
}
