// Producing layers: round trips, determinism, digests, overlay upper directories.
import Foundation
import Glibc
import Testing
@testable import ImageStore

@Suite struct LayerDifferTests {
    /// A lower tree and a changed copy of it, covering every kind of change.
    private func makeTrees(_ tmp: LayerTempDir) throws -> (lower: String, upper: String) {
        let lower = try tmp.sub("lower", make: true)
        let upper = try tmp.sub("upper")
        try layerShell("""
            cd '\(lower)' && mkdir -p etc gone/deep same && echo a > etc/keep && echo b > etc/edit && echo c > gone/deep/f \
              && echo d > same/f && echo e > todir && mkdir tofile && touch -d @1600000000 etc/keep etc/edit same/f \
              && ln -s etc/keep link
            """)
        try layerShell("cp -a '\(lower)' '\(upper)'")
        try layerShell("""
            cd '\(upper)' && rm -rf gone todir && mkdir todir && echo f > todir/x && rmdir tofile && echo g > tofile \
              && echo changed > etc/edit && touch -d @1600000000 etc/edit && chmod 0600 etc/keep \
              && echo new > new && ln new new.hard && ln -sfn /abs/target link && mkfifo fifo \
              && echo big > "\(String(repeating: "n", count: 150))" && touch -d '@1700000000.123456789' new
            """)
        if layerIsRoot {
            try layerShell("cd '\(upper)' && mknod chr c 1 7 && chown 1000:1001 new && chmod 4755 new")
            try layerSetXattr(upper + "/new", "user.k", "0102ff")
        }
        return (lower, upper)
    }

    @Test(.enabled(if: layerIsRoot, "needs root: applying restores owners"))
    func diffThenApplyReproducesTheTree() throws {
        let tmp = try LayerTempDir()
        let (lower, upper) = try makeTrees(tmp)
        let result = try LayerDiffer().diff(.compare(directory: upper, lower: lower), toFileAt: tmp.path + "/d.tar")
        let listing = try layerTarListing(tmp.path + "/d.tar")
        #expect(listing.contains(".wh.gone"))
        #expect(!listing.contains { $0.hasPrefix("same") })
        #expect(listing.contains("new.hard -> new"))
        #expect(result.diffID == (try layerSha256(tmp.path + "/d.tar")))
        #expect(result.compressedDigest == nil && result.digest == result.diffID)

        let copy = try tmp.sub("copy")
        try layerShell("cp -a '\(lower)' '\(copy)'")
        let applied = try layerApplyFile(tmp.path + "/d.tar", to: copy, mode: .flattened)
        #expect(applied.diffID == result.diffID)
        #expect(try layerTreeManifest(copy) == layerTreeManifest(upper))
    }

    @Test func sameTreeGivesTheSameBytesAndEpochClamps() throws {
        let tmp = try LayerTempDir()
        let (lower, upper) = try makeTrees(tmp)
        let epoch: Int64 = 1_650_000_000
        var digests: [String] = []
        for name in ["a", "b"] {
            let result = try LayerDiffer().diff(.compare(directory: upper, lower: lower), toFileAt: tmp.path + "/\(name).tar.gz",
                                                compression: .gzip, sourceDateEpoch: epoch)
            try layerShell("cd '\(tmp.path)' && gunzip -c \(name).tar.gz > \(name).tar")
            #expect(result.diffID == (try layerSha256(tmp.path + "/\(name).tar")))
            #expect(result.compressedDigest == (try layerSha256(tmp.path + "/\(name).tar.gz")))
            #expect(result.compressedSize == Int64(layerStat(tmp.path + "/\(name).tar.gz")!.st_size))
            digests.append(result.compressedDigest!)
        }
        #expect(digests[0] == digests[1])
        try layerRun(["/usr/bin/cmp", tmp.path + "/a.tar", tmp.path + "/b.tar"])
        let script = """
            import sys, tarfile
            for m in tarfile.open(sys.argv[1]):
                assert m.mtime <= \(epoch), (m.name, m.mtime)
                assert m.uname == '' and m.gname == '', m.name
                assert not any(k in m.pax_headers for k in ('atime', 'ctime')), m.pax_headers
                if m.name.endswith('.wh.gone'): assert m.mtime == \(epoch)
            print('ok')
            """
        #expect(String(decoding: try layerRun(["/usr/bin/python3", "-c", script, tmp.path + "/a.tar"]), as: UTF8.self) == "ok\n")
        let names = try layerTarListing(tmp.path + "/a.tar").map { $0.split(separator: " ")[0] }
        #expect(names.first == ".wh.gone")  // bytewise: "." sorts before "e"
    }

    @Test func zstdOutputRoundTrips() throws {
        let tmp = try LayerTempDir()
        let tree = try tmp.sub("tree", make: true)
        let empty = try tmp.sub("empty", make: true)
        try layerShell("cd '\(tree)' && mkdir d && echo hi > d/f")
        let result = try LayerDiffer().diff(.compare(directory: tree, lower: empty), toFileAt: tmp.path + "/l.tar.zst", compression: .zstd)
        try layerShell("cd '\(tmp.path)' && zstd -q -d -c l.tar.zst > l.tar")
        #expect(result.diffID == (try layerSha256(tmp.path + "/l.tar")))
        #expect(try layerTarListing(tmp.path + "/l.tar") == ["d/", "d/f"])
    }

    @Test(.enabled(if: layerIsRoot, "needs root: overlay mount, whiteout devices, trusted xattrs"))
    func overlayUpperDirectoryBecomesWhiteoutsAndOpaqueMarkers() throws {
        let tmp = try LayerTempDir()
        let lower = try tmp.sub("lower", make: true)
        let upper = try tmp.sub("upper", make: true)
        let work = try tmp.sub("work", make: true)
        let merged = try tmp.sub("merged", make: true)
        try layerShell("cd '\(lower)' && mkdir -p dir opq && echo k > keep && echo d > del && echo x > dir/x && echo y > dir/y && echo o > opq/old")
        guard mount("overlay", merged, "overlay", 0, "lowerdir=\(lower),upperdir=\(upper),workdir=\(work)") == 0 else {
            throw LayerTestError("overlay mount: errno \(errno)")
        }
        do {
            defer { umount2(merged, Int32(MNT_DETACH)) }
            try layerShell("cd '\(merged)' && echo changed > keep && rm del dir/x && rm -rf opq && mkdir opq && echo f > opq/fresh && echo n > new")
        }
        #expect(try layerXattr(upper + "/opq", "trusted.overlay.opaque") == "79")

        let result = try LayerDiffer().diff(.overlayUpper(upper), toFileAt: tmp.path + "/u.tar", sourceDateEpoch: 1_700_000_000)
        let listing = try layerTarListing(tmp.path + "/u.tar")
        #expect(listing == [".wh.del", "dir/", "dir/.wh.x", "keep", "new", "opq/", "opq/.wh..wh..opq", "opq/fresh"])
        #expect(result.diffID == (try layerSha256(tmp.path + "/u.tar")))

        // Applied back as a snapshot above the same lower, it shows what the mount showed.
        let snapshot = try tmp.sub("snap")
        _ = try LayerApplier().applyFresh(layerAt: tmp.path + "/u.tar", into: snapshot, parent: [lower])
        #expect(layerStat(snapshot + "/del").map { $0.st_mode & S_IFMT == S_IFCHR && $0.st_rdev == 0 } == true)
        #expect(try layerXattr(snapshot + "/opq", "trusted.overlay.opaque") == "79")
        let view = try tmp.sub("view", make: true)
        guard mount("overlay", view, "overlay", 0, "lowerdir=\(snapshot):\(lower)") == 0 else {
            throw LayerTestError("overlay mount: errno \(errno)")
        }
        defer { umount2(view, Int32(MNT_DETACH)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: view).sorted() == ["dir", "keep", "new", "opq"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: view + "/dir") == ["y"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: view + "/opq") == ["fresh"])
        #expect(try String(contentsOfFile: view + "/keep", encoding: .utf8) == "changed\n")
    }
}
