import OCI

/// What went wrong in the content store; each case names the blob it is about.
public enum ContentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes written hash to `actual`, not the `expected` digest; nothing was stored.
    case digestMismatch(expected: Digest, actual: Digest)
    /// The blob `digest` (nil when no digest was expected) had `actual` bytes, not `expected`; nothing was stored.
    case sizeMismatch(digest: Digest?, expected: Int64, actual: Int64)
    /// No blob `digest` in the store.
    case notFound(Digest)
    /// The stored blob no longer hashes to its name (found by `verify`).
    case corrupt(digest: Digest, actual: Digest, size: Int64)
    /// The ingest was cancelled before it completed; nothing was stored.
    case cancelled(expected: Digest?)

    public var description: String {
        switch self {
        case .digestMismatch(let expected, let actual):
            "content digest mismatch: expected \(expected), got \(actual)"
        case .sizeMismatch(let digest, let expected, let actual):
            "content size mismatch for \(digest?.string ?? "blob"): expected \(expected) bytes, got \(actual)"
        case .notFound(let digest):
            "content \(digest) not found"
        case .corrupt(let digest, let actual, let size):
            "content \(digest) is corrupt: its \(size) bytes hash to \(actual)"
        case .cancelled(let expected):
            "ingest of \(expected?.string ?? "blob") cancelled"
        }
    }
}
