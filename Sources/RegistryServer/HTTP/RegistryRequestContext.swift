import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the connection's channel, whose event loop
/// paces blob downloads (see ``Registry/getBlob(_:name:digest:head:eventLoop:)``).
public struct RegistryRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection's event loop.
    let eventLoop: any EventLoop

    /// Creates the context for a request on a connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}
