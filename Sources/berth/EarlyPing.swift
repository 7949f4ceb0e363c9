import Client
import Foundation

/// The daemon's `/_ping` (API version negotiation), sent on a thread of its own as soon as
/// the global flags are read, so it overlaps the parsing of the command line instead of
/// preceding the command's first request. `connectClient()` takes the answer; a command
/// that never talks to the daemon never waits for it.
final class EarlyPing: @unchecked Sendable {
    private let address: DaemonAddress?
    private let done = DispatchSemaphore(value: 0)
    // Written once by the pinging thread before `done` is signalled, read after the wait.
    private var result: Result<BerthClient, Error>?

    /// Starts pinging the daemon `BERTH_HOST` names (nothing when the address is invalid:
    /// `connectClient()` reports that itself).
    init() {
        address = try? DaemonAddress.resolve(flag: nil)
        guard let address else { done.signal(); return }
        Thread.detachNewThread { [self] in
            result = Result { try BerthClient.connect(to: address) }
            done.signal()
        }
    }

    /// The negotiated client for `address`, once the ping is answered; nil if it pinged another
    /// address or could not be started.
    func client(for address: DaemonAddress) throws -> BerthClient? {
        guard address == self.address else { return nil }
        done.wait()
        done.signal()
        return try result?.get()
    }
}
