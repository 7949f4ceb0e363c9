/// Berth's incremental build-context transfer (not part of docker's API; docs/builder.md).
///
/// The berth CLI lists its context (after `.dockerignore`) and sends the listing to
/// `POST /build/contexts/{key}/sync`; berthd answers with the files its synced copy lacks. The
/// CLI then sends `POST /build/contexts/{key}/build` (docker's `/build` query) whose body is one
/// JSON line (`BuildContextUpload`) followed by the bytes of the files it sends, in order.

/// One entry of a build context as the client's `lstat` sees it.
public struct BuildContextEntry: Codable, Sendable, Equatable {
    /// The entry's kind.
    public enum Kind: String, Codable, Sendable {
        case file, dir, symlink, fifo
    }

    /// Relative path, `/`-separated, without `.` or `..` components; parents come first.
    public var path: String
    public var type: Kind
    /// Permission bits (07777).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Bytes of a regular file (0 for the others).
    public var size: Int64
    /// Modification time, nanoseconds since 1970.
    public var mtime: Int64
    /// Status change time, nanoseconds since 1970.
    public var ctime: Int64
    /// The client's inode number (a file replaced by a rename is a new file).
    public var inode: UInt64
    /// A symlink's target.
    public var link: String?

    /// An entry.
    public init(path: String, type: Kind, mode: UInt32, uid: UInt32, gid: UInt32, size: Int64,
                mtime: Int64, ctime: Int64, inode: UInt64, link: String? = nil) {
        self.path = path; self.type = type; self.mode = mode; self.uid = uid; self.gid = gid; self.size = size
        self.mtime = mtime; self.ctime = ctime; self.inode = inode; self.link = link
    }

    /// Same metadata (all but the path): a file whose metadata is unchanged is not sent again.
    public func sameMetadata(as other: BuildContextEntry) -> Bool {
        type == other.type && mode == other.mode && uid == other.uid && gid == other.gid && size == other.size
            && mtime == other.mtime && ctime == other.ctime && inode == other.inode && link == other.link
    }
}

/// The body of `POST /build/contexts/{key}/sync`: the whole context, parents before children.
public struct BuildContextListing: Codable, Sendable, Equatable {
    public var entries: [BuildContextEntry]

    /// A listing.
    public init(entries: [BuildContextEntry]) { self.entries = entries }
}

/// The answer of `POST /build/contexts/{key}/sync`: the regular files to send, in listing order.
public struct BuildContextNeeds: Codable, Sendable, Equatable {
    public var need: [String]

    /// An answer.
    public init(need: [String]) { self.need = need }
}

/// The first line of `POST /build/contexts/{key}/build`'s body. The bytes of each file in `sent`
/// follow the line, in that order, each exactly its listed size. When the daemon lacks a file
/// that is not in `sent` (another build changed the copy since `sync`), it answers 409.
public struct BuildContextUpload: Codable, Sendable, Equatable {
    /// The whole context, as sent to `sync`.
    public var entries: [BuildContextEntry]
    /// Paths of the regular files whose bytes follow.
    public var sent: [String]
    /// The Dockerfile's text when it lies outside the context (`-f ../Dockerfile`).
    public var dockerfile: String?

    /// An upload header.
    public init(entries: [BuildContextEntry], sent: [String], dockerfile: String? = nil) {
        self.entries = entries; self.sent = sent; self.dockerfile = dockerfile
    }
}
