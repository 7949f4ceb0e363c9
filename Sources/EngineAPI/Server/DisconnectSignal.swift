import Synchronization

/// Fires once when the client of a request goes away (its connection closed, or its side shut
/// down as a dying client's is), so a long request can stop: a build cancels its steps.
final class DisconnectSignal: Sendable {
    private let state = Mutex<(fired: Bool, handlers: [@Sendable () -> Void])>((false, []))

    /// Runs `handler` when the client goes away (at once if it has).
    func onDisconnect(_ handler: @escaping @Sendable () -> Void) {
        let fired = state.withLock { state in
            if !state.fired { state.handlers.append(handler) }
            return state.fired
        }
        if fired { handler() }
    }

    /// The client went away.
    func fire() {
        let handlers = state.withLock { state in
            guard !state.fired else { return [@Sendable () -> Void]() }
            state.fired = true
            defer { state.handlers = [] }
            return state.handlers
        }
        handlers.forEach { $0() }
    }

    /// The request is over: handlers are dropped without running.
    func discard() { state.withLock { $0.handlers = [] } }
}
