// Bit-for-bit round trip: tree -> LayerDiffer -> LayerApplier into a snapshot -> LayerDiffer
// again gives the same diff ID, and the snapshot is the same tree, metadata included.
import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// Builds a tree with every kind of entry and the metadata a layer carries, with python3.
private let faultTreeScript = """
import os, sys
r = sys.argv[1]
def p(*a): return os.path.join(r, *a)
os.makedirs(p("bin")); os.makedirs(p("etc/conf.d")); os.makedirs(p("dev")); os.makedirs(p("tmp")); os.makedirs(p("srv/g"))
def w(path, data, mode, uid=0, gid=0):
    with open(p(path), "wb") as f: f.write(data)
    os.chown(p(path), uid, gid); os.chmod(p(path), mode)
w("bin/suid", b"\\x7fELF" + bytes(range(256)) * 40, 0o4755)
w("bin/sgid", b"sgid", 0o2711, 0, 50)
w("etc/owned", b"owned by 1000:2000\\n", 0o640, 1000, 2000)
w("etc/empty", b"", 0o600)
w("etc/conf.d/big", os.urandom(3 * 1024 * 1024 + 17), 0o644)
w("etc/xattrs", b"x", 0o644)
os.setxattr(p("etc/xattrs"), "user.comment", b"hello\\x00world")
os.setxattr(p("etc/xattrs"), "trusted.berth", b"\\x01\\x02")
os.setxattr(p("etc/xattrs"), "security.capability", bytes.fromhex("0100000200200000000000000000000000000000"))
os.setxattr(p("etc/conf.d"), "user.dir", b"on a directory")
os.link(p("etc/owned"), p("srv/hard1")); os.link(p("etc/owned"), p("srv/g/hard2"))
os.symlink("../etc/owned", p("srv/rel")); os.symlink("/etc/absolute/target", p("srv/abs")); os.symlink("dangling", p("srv/dangling"))
os.lchown(p("srv/rel"), 7, 8)
os.mknod(p("dev/null"), 0o20666, os.makedev(1, 3)); os.mknod(p("dev/sda"), 0o60640, os.makedev(8, 0))
os.mknod(p("dev/big"), 0o20600, os.makedev(300, 70000)); os.chown(p("dev/sda"), 0, 6)
os.mkfifo(p("tmp/fifo"), 0o620)
os.chmod(p("tmp"), 0o1777); os.chown(p("srv/g"), 33, 33); os.chmod(p("srv/g"), 0o2775)
ns = 1700000000 * 10**9
for i, (d, dirs, files) in enumerate(sorted(os.walk(r, topdown=False))):
    for n in sorted(files):
        os.utime(os.path.join(d, n), ns=(ns + 1, ns + 123456789 + i * 1000 + len(n)), follow_symlinks=False)
for d, dirs, files in sorted(os.walk(r, topdown=False), reverse=True):
    os.utime(d, ns=(ns, ns + 987654321 + len(d)))
"""

/// Every entry of a tree, one line each, like `layerTreeManifest` but with directory mtimes too.
func faultFullManifest(_ root: String) throws -> [String] {
    let script = """
    import hashlib, os, stat, sys
    root = sys.argv[1]; seen = {}; out = []
    for d, dirs, files in os.walk(root):
        for n in sorted(dirs + files):
            p = os.path.join(d, n); r = os.path.relpath(p, root); s = os.lstat(p)
            line = [r, oct(s.st_mode), str(s.st_uid), str(s.st_gid), str(s.st_mtime_ns)]
            if stat.S_ISREG(s.st_mode):
                line += [str(s.st_size), hashlib.sha256(open(p, 'rb').read()).hexdigest()]
                if s.st_nlink > 1: line.append('group=' + seen.setdefault(s.st_ino, r))
            if stat.S_ISLNK(s.st_mode): line.append('-> ' + os.readlink(p))
            if stat.S_ISCHR(s.st_mode) or stat.S_ISBLK(s.st_mode): line.append('rdev=%d,%d' % (os.major(s.st_rdev), os.minor(s.st_rdev)))
            for k in sorted(os.listxattr(p, follow_symlinks=False)):
                if k.startswith('trusted.overlay.') or k == 'security.selinux': continue
                line.append(k + '=' + os.getxattr(p, k, follow_symlinks=False).hex())
            out.append(' '.join(line))
    print('\\n'.join(sorted(out)))
    """
    return String(decoding: try layerRun(["/usr/bin/python3", "-c", script, root]), as: UTF8.self)
        .split(separator: "\n").map(String.init)
}

@Suite("Fault: round trip tree -> layer -> snapshot -> layer", .serialized, .enabled(if: layerIsRoot, "owners, devices and trusted xattrs need root"))
struct FaultRoundTripTests {
    @Test func treeSurvivesDiffApplyDiffBitForBit() async throws {
        try await StoreTempRoot.with { root in
            let source = root + "/source", empty = root + "/empty"
            for dir in [source, empty] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            try layerRun(["/usr/bin/python3", "-c", faultTreeScript, source])
            let sourceManifest = try faultFullManifest(source)
            #expect(sourceManifest.count == 22, "\(sourceManifest.joined(separator: "\n"))")

            let first = try LayerDiffer().diff(.compare(directory: source, lower: empty), toFileAt: root + "/first.tar")
            #expect(first.diffID == (try layerSha256(root + "/first.tar")))
            let listing = try layerTarListing(root + "/first.tar")
            #expect(listing.contains("tmp/fifo") && listing.contains("dev/big") && listing.contains("srv/g/hard2 -> etc/owned"), "\(listing)")

            let snapshots = try SnapshotStore(root: root + "/store")
            let active = try snapshots.prepare(key: "round-trip", parent: nil)
            let applied = try LayerApplier().apply(layerAt: root + "/first.tar", to: active.fs, mode: .overlay(lowerDirs: []))
            #expect(applied.diffID == first.diffID)
            #expect(applied.size == first.uncompressedSize)
            let chainID = try Digest(parsing: applied.diffID)
            try snapshots.commit(key: "round-trip", as: chainID)
            let fs = snapshots.fsPath(for: chainID)

            let second = try LayerDiffer().diff(.compare(directory: fs, lower: empty), toFileAt: root + "/second.tar")
            #expect(second.diffID == first.diffID)
            #expect(second.uncompressedSize == first.uncompressedSize)

            let appliedManifest = try faultFullManifest(fs)
            #expect(appliedManifest == sourceManifest)
            for (a, b) in zip(sourceManifest, appliedManifest) where a != b { Issue.record("differs:\n  source  \(a)\n  applied \(b)") }
        }
    }
}
