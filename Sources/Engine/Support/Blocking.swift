import Dispatch

/// Runs blocking work (a socket read, waitpid, a child process) off Swift's cooperative pool,
/// so a slow syscall never starves the daemon's other tasks.
enum Blocking {
    private static let queue = DispatchQueue(label: "berth.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
