import CRuntime
import Glibc
import OCI

/// Mounts a container's root filesystem from committed snapshots: overlayfs with the
/// snapshots' `fs` directories as lower layers (top first) and an optional upper/work pair.
///
/// Two ways to pass many lower layers:
/// - `.mountAPI` (the default when the kernel has it, Linux >= 6.8): fsopen/fsconfig with one
///   `lowerdir+` parameter per layer. No page limit on the option string, no change of the
///   process' working directory (berthd is multi-threaded; docker re-execs a helper for that),
///   absolute paths, and the kernel's own error message on failure.
/// - `.shortLinks`, docker overlay2's way: `lowerdir=l/ABCDEFGH:l/...` through the short
///   symlinks in `snapshots/l/`, mounted from a helper thread that unshared its cwd and
///   chdir'd to `snapshots/`. Used when the mount API lacks `lowerdir+`.
public struct ContainerRootFS: Sendable {
    /// How lower layers are passed to overlayfs.
    public enum Strategy: Sendable, Equatable {
        /// The mount API when available, else short links.
        case automatic
        /// fsconfig `lowerdir+`, one parameter per layer.
        case mountAPI
        /// mount(2) with relative short link names from `snapshots/`.
        case shortLinks
    }

    /// The snapshots whose chain IDs are mounted.
    public let snapshots: SnapshotStore
    /// How lower layers are passed.
    public let strategy: Strategy

    /// A mounter over `snapshots` using `strategy`.
    public init(snapshots: SnapshotStore, strategy: Strategy = .automatic) {
        self.snapshots = snapshots
        self.strategy = strategy
    }

    /// Mounts a writable root at `target`: `lowerChain` (chain IDs, top first) below, writes going
    /// to `upper` (with `work`, an empty directory on the same filesystem). With no lower layers,
    /// `upper` itself is bind-mounted.
    public func mount(lowerChain: [Digest], upper: String, work: String, target: String) throws {
        if lowerChain.isEmpty {
            guard Glibc.mount(upper, target, nil, UInt(MS_BIND), nil) == 0 else {
                throw SnapshotError.mountFailed(target: target, errno: errno, message: "bind \(upper)")
            }
            return
        }
        try overlay(lowerChain: lowerChain, upper: upper, work: work, target: target)
    }

    /// Mounts `lowerChain` (top first) read-only at `target`: a read-only bind for a single
    /// layer (overlayfs needs two lowers without an upper), a read-only overlay otherwise.
    public func mountReadOnly(lowerChain: [Digest], target: String) throws {
        guard let first = lowerChain.first else { throw SnapshotError.noLayers(target: target) }
        if lowerChain.count == 1 {
            guard snapshots.exists(chainID: first) else { throw SnapshotError.notFound(first) }
            let rc = berth_store_bind_readonly(snapshots.fsPath(for: first), target)
            if rc != 0 { throw SnapshotError.mountFailed(target: target, errno: -rc, message: "read-only bind") }
            return
        }
        try overlay(lowerChain: lowerChain, upper: nil, work: nil, target: target)
    }

    private func overlay(lowerChain: [Digest], upper: String?, work: String?, target: String) throws {
        for chainID in lowerChain where !snapshots.exists(chainID: chainID) {
            throw SnapshotError.notFound(chainID)
        }
        switch strategy {
        case .mountAPI:
            try mountWithAPI(lowerChain, upper, work, target)
        case .shortLinks:
            try mountWithShortLinks(lowerChain, upper, work, target)
        case .automatic:
            do {
                try mountWithAPI(lowerChain, upper, work, target)
            } catch SnapshotError.mountFailed(_, let code, _) where code == ENOSYS || code == EINVAL && !Self.hasLowerdirPlus {
                try mountWithShortLinks(lowerChain, upper, work, target)
            }
        }
    }

    /// Whether the running kernel accepts `lowerdir+` (6.8 and later).
    static let hasLowerdirPlus: Bool = {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard parts.count == 2 else { return false }
        return parts[0] > 6 || (parts[0] == 6 && parts[1] >= 8)
    }()

    private func mountWithAPI(_ chain: [Digest], _ upper: String?, _ work: String?, _ target: String) throws {
        let lowers = chain.map { snapshots.fsPath(for: $0) }
        var message = [CChar](repeating: 0, count: 512)
        let cStrings = lowers.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let rc = cStrings.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            berth_store_overlay_fsconfig(
                pointers.baseAddress, Int32(lowers.count), upper, work, target,
                upper == nil ? 1 : 0, &message, message.count)
        }
        if rc != 0 {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw SnapshotError.mountFailed(target: target, errno: -rc, message: text)
        }
    }

    private func mountWithShortLinks(_ chain: [Digest], _ upper: String?, _ work: String?, _ target: String) throws {
        let names = try chain.map { "l/" + (try snapshots.shortLink(for: $0)) }
        var options = "lowerdir=" + names.joined(separator: ":")
        if let upper, let work { options += ",upperdir=\(upper),workdir=\(work)" }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard options.utf8.count < pageSize else {
            throw SnapshotError.optionsTooLong(layers: chain.count, length: options.utf8.count)
        }
        let flags = upper == nil ? UInt(MS_RDONLY) : 0
        let rc = berth_store_overlay_in_dir(snapshots.directory, options, MountTable.canonical(target), flags)
        if rc != 0 { throw SnapshotError.mountFailed(target: target, errno: -rc, message: "") }
    }
}
