import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with a ``FileBodyHandler`` placed below its HTTPTypes codec, so
/// blob downloads are read from their files on the event loop, and larger socket reads.
/// Plain-text connections only: under TLS the server uses Hummingbird's channel unchanged.
struct RegistryHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    /// Socket reads: from 2 KiB, growing while they fill, up to 256 KiB.
    static let reads = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 256 << 10)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(FileBodyHandler(), position: .before(try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)))
            // Reads of up to 256 KiB (NIO's default stops at 64 KiB): an upload takes a quarter of
            // the reads, and of the event-loop turns that write and hash them.
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.reads)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
