/// Where an attach client connects: the shim's socket and whether the stream is a TTY.
public struct AttachTarget: Sendable {
    public var socket: String
    public var tty: Bool
}

/// Start holds the container's process until the clients attached before start are connected.
struct AttachBarrier {
    var remaining: Int
    var continuation: CheckedContinuation<Void, Never>?
}
