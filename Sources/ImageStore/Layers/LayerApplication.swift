// One run of the applier: reads entries in order and places each under the root.
import CArchive
import Glibc

/// The state of applying one layer; used once, by `LayerApplier`.
final class LayerApplication {
    let root: LayerRoot
    let reader: LayerTarReader

    init(root: LayerRoot, reader: LayerTarReader) {
        self.root = root
        self.reader = reader
    }

    /// Applies every entry, then the deferred directory times; returns the diffID.
    func run() throws -> LayerApplyResult {
        while let entry = try reader.next() {
            try apply(entry)
        }
        let (diffID, size) = try reader.finish()
        try setDirectoryTimes()
        return LayerApplyResult(diffID: diffID, size: size)
    }

    private func apply(_ entry: OpaquePointer) throws {
        guard let name = Self.bytes(archive_entry_pathname_utf8(entry), archive_entry_pathname(entry)) else {
            throw LayerError.archive(entry: nil, message: "entry without a name")
        }
        let shown = name.display
        let components = try LayerRoot.components(of: name, entry: shown)
        let linkTarget = Self.bytes(archive_entry_hardlink_utf8(entry), archive_entry_hardlink(entry))
        let type = UInt32(archive_entry_filetype(entry))
        guard let kind = linkTarget != nil ? .regular : FileKind(mode: type), kind != .socket else {
            throw LayerError.unsupportedEntryType(entry: shown, type: type)
        }
        guard let base = components.last else {
            if kind == .directory { try setMetadata(entry, root.root, [46], kind: kind, path: [], shown: shown) }
            return
        }
        if base.hasBytePrefix(whiteoutPrefix) {
            // Whiteouts and hard links remove or hide things after resolving their own paths.
            root.forgetWalks()
            defer { root.forgetWalks() }
            try applyWhiteout(components, entry: entry, shown: shown)
            return
        }
        guard let (parent, parentPath) = try root.resolveDirectory(Array(components.dropLast()), entry: shown, create: true) else {
            throw LayerError.system(operation: "resolve", path: shown, errno: ENOENT)
        }
        let path = parentPath + [base]
        if let linkTarget {
            root.forgetWalks()
            defer { root.forgetWalks() }
            try link(base, in: parent, to: linkTarget, shown: shown)
            root.written.insert(NameBytes.joined(path))
            return
        }
        var file: Int32 = -1
        defer { if file >= 0 { close(file) } }
        // The common case first: a regular file whose name is free is created in one call;
        // only a name already taken needs the lstat and removal below.
        if kind == .regular {
            file = base.withCName { openat(parent.fd, $0, Self.createFlags, 0o600) }
            if file < 0 && errno != EEXIST { throw LayerError.system(operation: "create", path: shown, errno: errno) }
        }
        let existing = file >= 0 ? nil : try LayerFS.stat(parent.fd, base, path: shown)
        // A directory replacing a whiteout this layer wrote (`.wh.d` then `d/`) is a new
        // directory: opaque, so the deleted lower one does not show through.
        let replacesWhiteout = root.overlay && kind == .directory && existing?.isWhiteout == true
        let keepsDirectory = existing?.kind == .directory && kind == .directory
        if existing != nil, !keepsDirectory {
            root.forgetWalks()
            try LayerFS.removeTree(parent.fd, base, path: shown)
        }
        let rc: Int32
        switch kind {
        case .directory:
            rc = keepsDirectory ? 0 : base.withCName { mkdirat(parent.fd, $0, 0o700) }
            if rc == 0 && replacesWhiteout {
                let code = LayerFS.setXattr(parent.fd, base, key: overlayOpaqueXattr, value: Array("y".utf8))
                guard code == 0 else { throw LayerError.system(operation: "set \(overlayOpaqueXattr)", path: shown, errno: code) }
            }
        case .regular:
            if file < 0 { file = base.withCName { openat(parent.fd, $0, Self.createFlags, 0o600) } }
            rc = file >= 0 ? 0 : -1
            if file >= 0 {
                let written = try reader.copyData(to: file, entry: shown)
                // A sparse file may end in a hole that no data block reaches.
                let size = Int64(archive_entry_size(entry))
                guard written == size || ftruncate(file, off_t(size)) == 0 else {
                    throw LayerError.system(operation: "truncate", path: shown, errno: errno)
                }
            }
        case .symlink:
            guard let target = Self.bytes(archive_entry_symlink_utf8(entry), archive_entry_symlink(entry)) else {
                throw LayerError.archive(entry: shown, message: "symlink without a target")
            }
            rc = target.withCName { t in base.withCName { symlinkat(t, parent.fd, $0) } }
        case .charDevice, .blockDevice, .fifo:
            let mode = kind.typeBits | (UInt32(archive_entry_perm(entry)) & 0o777)
            rc = base.withCName { mknodat(parent.fd, $0, mode, archive_entry_rdev(entry)) }
        case .socket:
            rc = 0
        }
        guard rc == 0 else { throw LayerError.system(operation: "create", path: shown, errno: errno) }
        try setMetadata(entry, parent, base, kind: kind, path: path, shown: shown, file: file)
        root.written.insert(NameBytes.joined(path))
    }

    /// How a regular file is created: only a new name, never through a symlink.
    private static let createFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC

    /// Owner, then mode (so setuid/setgid survive the chown), then xattrs (a
    /// chown clears security.capability), then times (directories: at the end).
    /// `file`, when not -1, is a descriptor of the regular file just written: the
    /// calls then go through it instead of looking the name up again.
    func setMetadata(_ entry: OpaquePointer, _ parent: DirHandle, _ name: NameBytes, kind: FileKind, path: [NameBytes], shown: @autoclosure () -> String, file: Int32 = -1) throws {
        let uid = uid_t(truncatingIfNeeded: archive_entry_uid(entry))
        let gid = gid_t(truncatingIfNeeded: archive_entry_gid(entry))
        let owned = file >= 0 ? fchown(file, uid, gid) : name.withCName({ fchownat(parent.fd, $0, uid, gid, AT_SYMLINK_NOFOLLOW) })
        guard owned == 0 else { throw LayerError.system(operation: "lchown", path: shown(), errno: errno) }
        if kind != .symlink {
            let mode = UInt32(archive_entry_perm(entry)) & 0o7777
            let changed = file >= 0 ? fchmod(file, mode) : name.withCName({ fchmodat(parent.fd, $0, mode, 0) })
            guard changed == 0 else { throw LayerError.system(operation: "chmod", path: shown(), errno: errno) }
        }
        try setXattrs(entry, parent, name, shown: shown())
        let mtime = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: archive_entry_mtime_nsec(entry))
        let atime = archive_entry_atime_is_set(entry) != 0
            ? timespec(tv_sec: archive_entry_atime(entry), tv_nsec: archive_entry_atime_nsec(entry)) : mtime
        if kind == .directory {
            root.directoryTimes.append((path, atime, mtime))
        } else if file >= 0 {
            var times = (atime, mtime)
            let rc = withUnsafePointer(to: &times) { $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(file, $0) } }
            guard rc == 0 else { throw LayerError.system(operation: "utimensat", path: shown(), errno: errno) }
        } else {
            try Self.setTimes(parent.fd, name, atime, mtime, shown: shown())
        }
    }

    /// Sets the entry's xattrs. trusted.overlay.* from a layer is ignored (it
    /// would smuggle overlay semantics); trusted.* and security.selinux that
    /// the filesystem or our privileges refuse are skipped.
    private func setXattrs(_ entry: OpaquePointer, _ parent: DirHandle, _ name: NameBytes, shown: @autoclosure () -> String) throws {
        if archive_entry_xattr_reset(entry) == 0 { return }
        var key: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &key, &value, &size) == ARCHIVE_OK {
            guard let key else { continue }
            let keyString = String(cString: key)
            if keyString.hasPrefix("trusted.overlay.") { continue }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            let code = LayerFS.setXattr(parent.fd, name, key: keyString, value: bytes)
            if code == 0 { continue }
            let optional = keyString.hasPrefix("trusted.") || keyString == "security.selinux"
            if optional && (code == EPERM || code == ENOTSUP || code == EOPNOTSUPP) { continue }
            throw LayerError.system(operation: "setxattr \(keyString)", path: shown(), errno: code)
        }
    }

    /// utimensat without following a final symlink.
    static func setTimes(_ dirfd: Int32, _ name: NameBytes, _ atime: timespec, _ mtime: timespec, shown: String) throws {
        let times = [atime, mtime]
        let rc = name.withCName { cname in times.withUnsafeBufferPointer { utimensat(dirfd, cname, $0.baseAddress, AT_SYMLINK_NOFOLLOW) } }
        guard rc == 0 else { throw LayerError.system(operation: "utimensat", path: shown, errno: errno) }
    }

    /// Directory times last, once nothing below them changes any more. Paths
    /// are re-opened without following symlinks; one replaced since is skipped.
    private func setDirectoryTimes() throws {
        // Consecutive directories share parents: keep the last chain of opened parents.
        var opened: [(component: NameBytes, dir: DirHandle)] = []
        func openParent(_ path: ArraySlice<NameBytes>) -> DirHandle? {
            var shared = 0
            while shared < opened.count, shared < path.count, opened[shared].component == path[path.startIndex + shared] { shared += 1 }
            opened.removeSubrange(shared...)
            var current = opened.last?.dir ?? root.root
            for component in path.dropFirst(shared) {
                guard let next = try? LayerFS.openDirectory(current.fd, component, path: "") else { return nil }
                opened.append((component, next))
                current = next
            }
            return current
        }
        for (path, atime, mtime) in root.directoryTimes {
            guard let parent = openParent(path.dropLast()) else { continue }
            let name = path.last ?? [46]
            let shown = path.isEmpty ? "." : NameBytes.joined(path).display
            guard try LayerFS.stat(parent.fd, name, path: shown)?.kind == .directory else { continue }
            try Self.setTimes(parent.fd, name, atime, mtime, shown: shown)
        }
    }

    /// A name from libarchive: the UTF-8 form when it has one, else the raw bytes.
    static func bytes(_ utf8: UnsafePointer<CChar>?, _ raw: @autoclosure () -> UnsafePointer<CChar>?) -> NameBytes? {
        guard let pointer = utf8 ?? raw() else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }
}
