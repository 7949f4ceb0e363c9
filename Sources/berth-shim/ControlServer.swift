import Glibc

/// One connection to the control socket: first a command line, then (for `attach` and
/// `wait`) a longer life. Everything it is sent waits in `output` until the socket takes it.
final class Client {
    /// What the connection is for.
    enum Mode {
        /// Reading the command line.
        case command
        /// Receiving output frames; may send stdin frames.
        case attach
        /// Waiting for the exit line.
        case waiting
        /// Answered; closed once the answer is flushed.
        case done
    }

    let fd: Int32
    var mode = Mode.command
    /// The command line read so far.
    var line: [UInt8] = []
    var output = ByteQueue()
    var decoder = FrameDecoder()
    /// Stdin frames from this client reach the process.
    var sendsStdin = false
    /// The peer shut down its side (it may still read).
    var readClosed = false
    var closed = false

    init(fd: Int32) { self.fd = fd }
}

/// The control socket: accepts connections, reads bounded command lines, queues replies,
/// and fans output frames out to attach clients without ever blocking on one of them.
final class ControlServer {
    /// A client whose unsent output grows past this is dropped (it must not stall the container).
    static let maxPending = 1 << 20
    static let maxCommand = 4096

    let listener: Int32
    private(set) var clients: [Client] = []
    /// Handles a parsed command; the client's mode is `.command` until the handler changes it.
    var onCommand: (Client, Command) -> Void = { _, _ in }
    /// Handles stdin frames from attach clients that send stdin.
    var onStdin: (Client, FrameDecoder.Event) -> Void = { _, _ in }
    /// While set, attach clients that send stdin are not read (the process is not reading).
    var stdinPaused = false
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)

    init(listener: Int32) {
        self.listener = listener
    }

    deinit { buffer.deallocate() }

    /// Whether any client still has bytes to send.
    var hasPendingOutput: Bool { clients.contains { !$0.output.isEmpty } }

    /// The poll events for `client` (0 means nothing but errors and hang-ups).
    func events(for client: Client) -> Int16 {
        var events: Int16 = 0
        switch client.mode {
        case .command: events |= Int16(POLLIN)
        case .attach, .waiting, .done:
            if !client.readClosed && !(stdinPaused && client.sendsStdin) { events |= Int16(POLLIN) }
        }
        if !client.output.isEmpty { events |= Int16(POLLOUT) }
        return events
    }

    /// Accepts every pending connection.
    func acceptAll() {
        while let fd = UnixSocket.accept(listener) {
            clients.append(Client(fd: fd))
        }
    }

    /// Acts on poll's answer for `client`.
    func handle(_ client: Client, revents: Int16) {
        if revents & Int16(POLLIN) != 0 { read(client) }
        if !client.closed && revents & Int16(POLLOUT) != 0 { flush(client) }
        if !client.closed && revents & Int16(POLLHUP | POLLERR) != 0 && revents & Int16(POLLIN) == 0 { drop(client) }
    }

    /// Queues `text` for `client` and tries to send it now.
    func send(_ client: Client, _ text: String) {
        guard !client.closed else { return }
        client.output.append(text)
        flush(client)
    }

    /// Sends `text` and closes the connection once it is out.
    func reply(_ client: Client, _ text: String) {
        client.mode = .done
        send(client, text)
        closeIfDone(client)
    }

    /// Frames `bytes` on `stream` for every attach client.
    func broadcast(stream: UInt8, _ bytes: UnsafeRawBufferPointer) {
        for client in clients where client.mode == .attach && !client.closed {
            Frame.append(stream: stream, payload: bytes, to: &client.output)
            if client.output.count > Self.maxPending {
                drop(client)
            } else {
                flush(client)
            }
        }
    }

    /// Ends every attach and wait connection once its output is out (the process is gone):
    /// waiting clients get `waitReply` first.
    func finishAll(waitReply: String) {
        for client in clients where !client.closed {
            switch client.mode {
            case .waiting:
                client.mode = .done
                send(client, waitReply)
                closeIfDone(client)
            case .attach:
                client.mode = .done
                closeIfDone(client)
            case .command, .done:
                break
            }
        }
    }

    /// Closes a client and forgets it.
    func drop(_ client: Client) {
        guard !client.closed else { return }
        client.closed = true
        client.output.removeAll()
        close(client.fd)
    }

    /// Forgets closed clients (called once per loop turn, after dispatch).
    func sweep() {
        clients.removeAll { $0.closed }
    }

    /// Closes every connection and the listener.
    func closeAll() {
        for client in clients { drop(client) }
        clients = []
        close(listener)
    }

    private func flush(_ client: Client) {
        var error: Int32 = 0
        if !client.output.flush(to: client.fd, error: &error) {
            drop(client)  // EPIPE, ECONNRESET: the peer is gone
            return
        }
        closeIfDone(client)
    }

    private func closeIfDone(_ client: Client) {
        if client.mode == .done && client.output.isEmpty { drop(client) }
    }

    private func read(_ client: Client) {
        let n = Glibc.read(client.fd, buffer.baseAddress, client.mode == .command ? Self.maxCommand - client.line.count : buffer.count)
        if n < 0 {
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { return }
            drop(client)
            return
        }
        if n == 0 {
            client.readClosed = true
            // Half-closed attach and wait clients still get their output; a command never came.
            if client.mode == .command { drop(client) }
            return
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        switch client.mode {
        case .command: readCommand(client, bytes)
        case .attach: decode(client, bytes)
        case .waiting, .done: break
        }
    }

    private func readCommand(_ client: Client, _ bytes: UnsafeRawBufferPointer) {
        guard let newline = bytes.firstIndex(of: 0x0A) else {
            client.line.append(contentsOf: bytes)
            if client.line.count >= Self.maxCommand { reply(client, "error command too long (max \(Self.maxCommand) bytes)\n") }
            return
        }
        client.line.append(contentsOf: bytes[..<newline])
        if client.line.last == 0x0D { client.line.removeLast() }
        let text = String(decoding: client.line, as: UTF8.self)
        client.line = []
        onCommand(client, Command.parse(text))
        // Frames sent right behind "attach ...\n" belong to the attach stream.
        if client.mode == .attach && !client.closed && newline + 1 < bytes.count {
            decode(client, UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...]))
        }
    }

    private func decode(_ client: Client, _ bytes: UnsafeRawBufferPointer) {
        client.decoder.feed(bytes) { event in
            if client.sendsStdin { onStdin(client, event) }
        }
    }
}
