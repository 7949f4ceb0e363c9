import OCI

/// Which layers of a manifest a pull downloads, and the first status docker shows for each:
/// a blob already in the content store `Already exists`; the others `Pulling fs layer`, and those
/// beyond the first `concurrency` also `Waiting`. A layer listed twice is fetched once.
public struct LayerPlan: Sendable, Equatable {
    /// The layers to download, in manifest order, each once.
    public var downloads: [Descriptor]
    /// The statuses to show before any download starts.
    public var initialEvents: [ProgressEvent]

    /// Plans `layers` given which blobs are `present`.
    public init(layers: [Descriptor], concurrency: Int, present: (Digest) -> Bool) {
        downloads = []
        initialEvents = []
        for layer in layers {
            if present(layer.digest) {
                if !initialEvents.contains(.layer(layer.digest, .alreadyExists)) {
                    initialEvents.append(.layer(layer.digest, .alreadyExists))
                }
            } else if !downloads.contains(where: { $0.digest == layer.digest }) {
                downloads.append(layer)
                initialEvents.append(.layer(layer.digest, .pullingFSLayer))
            }
        }
        for layer in downloads.dropFirst(max(concurrency, 1)) { initialEvents.append(.layer(layer.digest, .waiting)) }
    }
}
