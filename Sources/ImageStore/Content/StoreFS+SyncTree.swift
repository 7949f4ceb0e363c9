import Glibc

extension StoreFS {
    /// fsyncs every regular file and directory below `path` (not following symlinks): the data of
    /// one tree made durable without flushing the whole file system as syncfs(2) does.
    static func fsyncTree(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw StoreFSError("open", path) }
        defer { close(fd) }
        try fsyncContents(fd, path: path)
        guard Glibc.fsync(fd) == 0 else { throw StoreFSError("fsync", path) }
    }

    private static func fsyncContents(_ fd: Int32, path: String) throws {
        let dup = Glibc.dup(fd)
        guard dup >= 0, let handle = fdopendir(dup) else { throw StoreFSError("fdopendir", path) }
        defer { closedir(handle) }
        for name in names(in: handle) {
            var st = stat()
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFDIR || kind == S_IFREG else { continue }
            let child = openat(fd, name, (kind == S_IFDIR ? O_DIRECTORY : 0) | O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { throw StoreFSError("openat", path + "/" + name) }
            defer { close(child) }
            if kind == S_IFDIR { try fsyncContents(child, path: path + "/" + name) }
            guard Glibc.fsync(child) == 0 else { throw StoreFSError("fsync", path + "/" + name) }
        }
    }
}
