import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the connection's channel, which blob
/// downloads write to (see ``Registry/getBlob(_:name:digest:head:channel:)``).
public struct RegistryRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection.
    let channel: any Channel

    /// Creates the context for a request on a connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
