import Glibc

/// Content digests the daemon already knows for files of a synced build context, so the cache
/// key of a COPY does not read unchanged files again. Keyed on the file as it is on the daemon's
/// disk (inode, size, mtime): a digest is used only for the very file it was computed from.
public struct ContextDigests: Sendable, Equatable {
    /// What identifies a file on the daemon's disk.
    public struct FileKey: Hashable, Sendable {
        public var inode: UInt64
        public var size: Int64
        public var mtime: Int64

        /// A key.
        public init(inode: UInt64, size: Int64, mtime: Int64) { self.inode = inode; self.size = size; self.mtime = mtime }

        /// The key of the file `st` describes.
        public init(_ st: stat) {
            self.init(inode: UInt64(st.st_ino), size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
        }
    }

    /// Hex SHA-256 of each known file's content.
    public var digests: [FileKey: String]

    /// Known digests (none: every file is read).
    public init(_ digests: [FileKey: String] = [:]) { self.digests = digests }

    /// The digest of the regular file `st` describes, when known.
    public func digest(of st: stat) -> String? {
        digests.isEmpty ? nil : digests[FileKey(st)]
    }
}
