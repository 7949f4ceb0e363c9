/// One engine event (`docker events`): what happened to which object, when.
public struct EngineEvent: Sendable, Equatable {
    public var type: String        // container, image, volume, network, daemon
    public var action: String      // create, start, die, destroy, tag, pull, …
    public var actorID: String
    public var attributes: [String: String]
    public var time: Timestamp
    public init(type: String, action: String, actorID: String, attributes: [String: String] = [:], time: Timestamp = .now()) {
        self.type = type; self.action = action; self.actorID = actorID; self.attributes = attributes; self.time = time
    }
}

/// Publishes events to live subscribers and keeps the last ones for `--since`.
public actor EventBus {
    private var history: [EngineEvent] = []
    private var subscribers: [Int: AsyncStream<EngineEvent>.Continuation] = [:]
    private var nextID = 0
    private let historyLimit = 2048

    public init() {}

    public func publish(_ event: EngineEvent) {
        history.append(event)
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        for continuation in subscribers.values { continuation.yield(event) }
    }

    /// Past events at or after `since`, then (atomically, nothing lost between) a live stream.
    public func subscribe(since: Timestamp?) -> (past: [EngineEvent], live: AsyncStream<EngineEvent>) {
        let past = since.map { since in history.filter { $0.time >= since } } ?? []
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncStream<EngineEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return (past, stream)
    }

    /// Past events in [since, until].
    public func events(since: Timestamp, until: Timestamp) -> [EngineEvent] {
        history.filter { $0.time >= since && $0.time <= until }
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }
}
