import NIOCore
import NIOPosix

/// A connection carrying raw bytes both ways: a hijacked client connection after the 101,
/// or the engine's connection to a shim's attach stream.
public struct RawChannel: Sendable {
    let channel: Channel
    /// Bytes from the peer, finished when it closes or half-closes its side.
    public let inbound: AsyncStream<ByteBuffer>

    /// Writes and flushes `buffer`.
    public func write(_ buffer: ByteBuffer) async throws {
        try await channel.writeAndFlush(buffer)
    }

    public func write(_ bytes: [UInt8]) async throws {
        try await write(channel.allocator.buffer(bytes: bytes))
    }

    /// Half-closes our side (the peer sees EOF).
    public func closeWrite() async {
        try? await channel.close(mode: .output)
    }

    public func close() async {
        try? await channel.close()
    }

    var allocator: ByteBufferAllocator { channel.allocator }

    /// Connects to a unix socket and wraps it.
    static func connect(unixSocket path: String, group: EventLoopGroup) async throws -> RawChannel {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawStreamHandler(continuation))
                }
            }
            .connect(unixDomainSocketPath: path).get()
        return RawChannel(channel: channel, inbound: stream)
    }
}

/// Feeds a channel's bytes into an AsyncStream; the stream ends at EOF or half-close.
final class RawStreamHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncStream<ByteBuffer>.Continuation

    init(_ continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { continuation.finish() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}
