/// A `RUN --mount=…` value, parsed after variable expansion.
public struct RunMount: Sendable, Equatable, Hashable {
    /// Mount types docker accepts.
    public enum MountType: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// A directory of the context or of another stage/image (`from=`), read-only by default.
        case bind
        /// A persistent cache directory, writable.
        case cache
        /// A fresh tmpfs, writable.
        case tmpfs
        /// A secret file (or environment variable with `env=`).
        case secret
        /// An SSH agent socket.
        case ssh
    }

    /// How concurrent builds share a cache mount.
    public enum Sharing: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// Used by all at once.
        case shared
        /// A new copy when one is in use.
        case `private`
        /// One user at a time.
        case locked
    }

    /// The type (default bind).
    public var type: MountType
    /// `from=`: a stage or image.
    public var from: String?
    /// `source=`/`src=`.
    public var source: String?
    /// `target=`/`dst=`/`destination=`.
    public var target: String?
    /// Read-only (bind and secret default to true, cache and tmpfs to false).
    public var readOnly: Bool
    /// `size=` of a tmpfs, bytes.
    public var sizeLimit: Int64?
    /// `id=` of a cache or secret.
    public var id: String?
    /// `sharing=` of a cache.
    public var sharing: Sharing?
    /// `required` of a secret or ssh mount.
    public var required: Bool
    /// `env=` of a secret.
    public var env: String?
    /// `mode=` (octal) of cache/secret/ssh.
    public var mode: UInt32?
    /// `uid=`.
    public var uid: UInt32?
    /// `gid=`.
    public var gid: UInt32?

    /// Creates a mount.
    public init(
        type: MountType = .bind, from: String? = nil, source: String? = nil, target: String? = nil, readOnly: Bool = true,
        sizeLimit: Int64? = nil, id: String? = nil, sharing: Sharing? = nil, required: Bool = false, env: String? = nil,
        mode: UInt32? = nil, uid: UInt32? = nil, gid: UInt32? = nil
    ) {
        self.type = type
        self.from = from
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.sizeLimit = sizeLimit
        self.id = id
        self.sharing = sharing
        self.required = required
        self.env = env
        self.mode = mode
        self.uid = uid
        self.gid = gid
    }
}
