import Foundation
import NIOCore
import NIOHTTP1

/// Sends a blob's bytes with `sendfile(2)`: the kernel copies from the page cache to the socket, and
/// the bytes never pass through the registry's memory or its event loop's buffers.
///
/// It sits between NIO's HTTP/1 encoder and the HTTPTypes codec (plain-text connections only: TLS
/// must encrypt in user space), where a body part may still be a `FileRegion`. A response body
/// ``arm(_:on:)``s it with the region, then writes an empty body part; the handler puts the region in
/// its place. Every other part passes unchanged, so the head, the body and the end keep the order in
/// which the response writer wrote them.
final class FileRegionHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The region the next empty body part stands for; the handler owns (and closes) its file.
    private var armed: FileRegion?

    /// Hands `region` to the connection's handler, which then owns its file. False (and the caller
    /// keeps the file) when the connection has no such handler (TLS).
    static func arm(_ region: FileRegion, on channel: any Channel) async throws -> Bool {
        try await channel.eventLoop.submit {
            guard let handler = try? channel.pipeline.syncOperations.handler(type: FileRegionHandler.self) else { return false }
            handler.arm(region)
            return true
        }.get()
    }

    /// Makes `region` the next empty body part (on the event loop); the handler now owns its file.
    func arm(_ region: FileRegion) {
        disarm()
        armed = region
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let region = armed, case .body(.byteBuffer(let buffer)) = unwrapOutboundIn(data), buffer.readableBytes == 0 else {
            context.write(data, promise: promise)
            return
        }
        armed = nil
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.whenComplete { _ in try? region.fileHandle.close() }
        context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: written)
    }

    /// The connection closed before the body was written: close the file.
    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func disarm() {
        guard let armed else { return }
        try? armed.fileHandle.close()
        self.armed = nil
    }
}
