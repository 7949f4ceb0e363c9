import Dispatch
import Synchronization

/// When the API last served a request, so the daemon can tell it is idle.
public enum Activity {
    private static let last = Atomic<UInt64>(0)

    static func touch() { last.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    /// Nanoseconds since the last request (or since boot if none).
    public static var idleNanoseconds: UInt64 {
        DispatchTime.now().uptimeNanoseconds &- last.load(ordering: .relaxed)
    }
}
