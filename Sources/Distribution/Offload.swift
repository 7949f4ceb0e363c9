import Foundation

/// Runs blocking work (unpacking layers: file system calls for seconds) on a dispatch queue instead
/// of a thread of Swift's cooperative pool, which has only as many threads as cores.
enum Offload {
    private static let queue = DispatchQueue(label: "berth.distribution.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
