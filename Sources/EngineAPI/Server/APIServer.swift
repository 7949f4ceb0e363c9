import Engine
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The Engine API server: HTTP/1.1 on a unix socket (mode 0660), one `HTTPHandler` per connection.
public final class APIServer: Sendable {
    let engine: Engine
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    let router: Router

    public init(engine: Engine, logger: Logger, threads: Int = 1) {
        self.engine = engine
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        router = Routes.make(engine: engine, group: group)
    }

    /// Binds `socketPath` (replacing a stale socket file) and serves until the channel closes.
    public func start(socketPath: String) async throws -> Channel {
        let spool = engine.configuration.execRoot + "/tmp"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let router = self.router
        let logger = self.logger
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    let handler = HTTPHandler(router: router, logger: logger, spoolDirectory: spool, decoder: decoder, encoder: encoder)
                    try channel.pipeline.syncOperations.addHandlers([decoder, encoder, handler])
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true).get()
        chmod(socketPath, 0o660)
        return channel
    }

    public func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
