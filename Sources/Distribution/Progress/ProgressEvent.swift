import Foundation
import OCI

/// One progress message of a pull or push, as docker streams them: a status, optionally for one
/// layer (`id`: 12 hex digits) and with byte counts, or the push's final result.
public struct ProgressEvent: Sendable, Equatable {
    /// The layer (or tag) the status is about; nil for whole-image lines (`Digest: …`).
    public var id: String?
    /// docker's words: `Pulling fs layer`, `Downloading`, `Pushed`, `Status: …`.
    public var status: String
    /// Byte counts; nil when the message carries none. `Detail()` (both nil) encodes as `{}`.
    public var detail: Detail?
    /// The result of pushing one tag (docker's `aux`).
    public var pushed: PushedTag?

    /// Bytes done out of a total.
    public struct Detail: Sendable, Equatable {
        /// Bytes done so far.
        public var current: Int64?
        /// Bytes in all.
        public var total: Int64?
        /// Creates a detail.
        public init(current: Int64? = nil, total: Int64? = nil) {
            self.current = current
            self.total = total
        }
    }

    /// Creates an event.
    public init(id: String? = nil, status: String, detail: Detail? = nil, pushed: PushedTag? = nil) {
        self.id = id
        self.status = status
        self.detail = detail
        self.pushed = pushed
    }

    /// A per-layer status with an empty `{}` detail (docker sends those for layer steps).
    public static func layer(_ digest: Digest, _ status: LayerStatus) -> ProgressEvent {
        ProgressEvent(id: digest.shortID, status: status.text, detail: Detail())
    }

    /// A per-layer transfer update: `current` of `total` bytes.
    public static func transfer(_ digest: Digest, _ status: LayerStatus, current: Int64, total: Int64) -> ProgressEvent {
        ProgressEvent(id: digest.shortID, status: status.text, detail: Detail(current: current, total: total))
    }
}

/// What docker says about one layer during a pull or a push.
public enum LayerStatus: Sendable, Equatable {
    /// A layer the pull will download.
    case pullingFSLayer
    /// Queued behind the transfers already running.
    case waiting
    /// Bytes arriving (with counts).
    case downloading
    /// The last byte arrived; the digest is being checked.
    case verifyingChecksum
    /// The blob is in the content store.
    case downloadComplete
    /// The layer is being applied to its snapshot.
    case extracting
    /// The layer's snapshot is committed.
    case pullComplete
    /// The blob was in the content store already.
    case alreadyExists
    /// A layer the push will check.
    case preparing
    /// Bytes leaving (with counts).
    case pushing
    /// The registry has the blob now.
    case pushed
    /// The repository had the blob already.
    case layerAlreadyExists
    /// The registry linked the blob from repository `from`.
    case mounted(from: String)

    /// The status text docker streams.
    public var text: String {
        switch self {
        case .pullingFSLayer: "Pulling fs layer"
        case .waiting: "Waiting"
        case .downloading: "Downloading"
        case .verifyingChecksum: "Verifying Checksum"
        case .downloadComplete: "Download complete"
        case .extracting: "Extracting"
        case .pullComplete: "Pull complete"
        case .alreadyExists: "Already exists"
        case .preparing: "Preparing"
        case .pushing: "Pushing"
        case .pushed: "Pushed"
        case .layerAlreadyExists: "Layer already exists"
        case .mounted(let from): "Mounted from \(from)"
        }
    }
}

/// One tag pushed: docker's `aux` `{"Tag":…,"Digest":…,"Size":…}`.
public struct PushedTag: Sendable, Equatable {
    /// The tag pushed.
    public var tag: String
    /// The manifest's digest.
    public var digest: Digest
    /// The manifest's size in bytes.
    public var size: Int64
}

/// Where progress goes: called from several tasks, must not block.
public typealias ProgressSink = @Sendable (ProgressEvent) -> Void

/// Sends byte-count updates of one transfer at most every `interval` seconds (and always the last).
final class ProgressThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Double = 0
    private let interval: Double

    init(interval: Double = 0.1) { self.interval = interval }

    /// True when an update at this moment should be sent (`final` ones always are).
    func allow(final: Bool = false) -> Bool {
        let now = Date().timeIntervalSince1970
        return lock.withLock {
            if final || now - last >= interval {
                last = now
                return true
            }
            return false
        }
    }
}
