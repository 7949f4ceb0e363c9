import Glibc
import OCI

/// What went wrong in the snapshotter or while mounting a root filesystem; each case names its snapshot or path.
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No committed snapshot `chainID`.
    case notFound(Digest)
    /// No active snapshot with `key`.
    case activeNotFound(key: String)
    /// An active snapshot with `key` exists already.
    case activeExists(key: String)
    /// `chainID` is the parent of committed snapshot `child` and cannot be removed first.
    case hasChildren(Digest, child: Digest)
    /// A mount needs at least one lower layer (or an upper directory).
    case noLayers(target: String)
    /// The overlay mount options for `layers` layers exceed one page (`length` bytes).
    case optionsTooLong(layers: Int, length: Int)
    /// mount(2) or the mount API failed on `target`; `message` is the kernel's, if it gave one.
    case mountFailed(target: String, errno: Int32, message: String)
    /// `target` stayed busy after retrying the unmount for `seconds`.
    case busy(target: String, seconds: Double)
    /// `target` is still listed in /proc/self/mountinfo after unmounting.
    case stillMounted(target: String)

    public var description: String {
        switch self {
        case .notFound(let chainID): "snapshot \(chainID) not found"
        case .activeNotFound(let key): "active snapshot \"\(key)\" not found"
        case .activeExists(let key): "active snapshot \"\(key)\" already exists"
        case .hasChildren(let chainID, let child): "snapshot \(chainID) is the parent of \(child)"
        case .noLayers(let target): "mount \(target): no layers to mount"
        case .optionsTooLong(let layers, let length):
            "overlay options for \(layers) layers are \(length) bytes, over one page"
        case .mountFailed(let target, let code, let message):
            "mount \(target): \(String(cString: strerror(code)))\(message.isEmpty ? "" : " (\(message))")"
        case .busy(let target, let seconds): "unmount \(target): still busy after \(seconds)s"
        case .stillMounted(let target): "unmount \(target): still mounted"
        }
    }
}
