// Applying layers: what lands on disk, in both modes.
import Foundation
import Glibc
import Testing
@testable import ImageStore

@Suite struct LayerApplierTests {
    @Test(.enabled(if: layerIsRoot, "needs root: chown, mknod, security.capability"))
    func entriesLandWithTheirMetadata() throws {
        let tmp = try LayerTempDir()
        let root = try tmp.sub("root", make: true)
        let longName = "d/" + String(repeating: "long-name-", count: 15) + "end"
        let capability = "0100000200040000" + String(repeating: "0", count: 24)  // rev2, cap_net_bind_service
        var setuid = LayerTarMember.file("d/f", "hello", mode: 0o4755)
        setuid.uid = 1000; setuid.gid = 1001; setuid.mtime = "1700000000.123456789"
        setuid.xattrs = ["user.test": "68690a"]
        var capbin = LayerTarMember.file("d/capbin", "x", mode: 0o755)
        capbin.uid = 1000; capbin.xattrs = ["security.capability": capability]
        var dir = LayerTarMember.dir("d", mode: 0o2750)
        dir.uid = 1000; dir.mtime = "1600000000.987654321"
        var char = LayerTarMember(name: "dev/null2", type: "char", mode: 0o666); char.devmajor = 1; char.devminor = 3
        var block = LayerTarMember(name: "dev/loopx", type: "block", mode: 0o660); block.devmajor = 7; block.devminor = 9
        var sticky = LayerTarMember.dir("tmp", mode: 0o1777)
        sticky.mtime = "1500000000"
        try layerMakeTar([
            dir, setuid, capbin,
            .symlink("d/s", to: "/nowhere/../at all"),
            .hardlink("d/h", to: "d/f"),
            .dir("dev"), char, block,
            LayerTarMember(name: "dev/fifo", type: "fifo", mode: 0o600),
            .file(longName, "long"),
            sticky,
        ], at: tmp.path + "/l.tar")
        try layerApplyFile(tmp.path + "/l.tar", to: root, mode: .flattened)

        let f = try #require(layerStat(root + "/d/f"))
        #expect(f.st_mode & 0o7777 == 0o4755)
        #expect(f.st_uid == 1000 && f.st_gid == 1001)
        #expect(f.st_mtim.tv_sec == 1_700_000_000 && f.st_mtim.tv_nsec == 123_456_789)
        #expect(try String(contentsOfFile: root + "/d/f", encoding: .utf8) == "hello")
        #expect(try layerXattr(root + "/d/f", "user.test") == "68690a")
        #expect(try layerXattr(root + "/d/capbin", "security.capability") == capability)
        let h = try #require(layerStat(root + "/d/h"))
        #expect(h.st_ino == f.st_ino)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/d/s") == "/nowhere/../at all")
        let d = try #require(layerStat(root + "/d"))
        #expect(d.st_mode & 0o7777 == 0o2750 && d.st_uid == 1000)
        #expect(d.st_mtim.tv_sec == 1_600_000_000 && d.st_mtim.tv_nsec == 987_654_321)
        let c = try #require(layerStat(root + "/dev/null2"))
        #expect(c.st_mode & S_IFMT == S_IFCHR && c.st_rdev == layerMakedev(1, 3) && c.st_mode & 0o777 == 0o666)
        let b = try #require(layerStat(root + "/dev/loopx"))
        #expect(b.st_mode & S_IFMT == S_IFBLK && b.st_rdev == layerMakedev(7, 9))
        #expect(layerStat(root + "/dev/fifo").map { $0.st_mode & S_IFMT } == S_IFIFO)
        #expect(try String(contentsOfFile: root + "/" + longName, encoding: .utf8) == "long")
        #expect(layerStat(root + "/tmp").map { $0.st_mode & 0o7777 } == 0o1777)
    }

    @Test(.enabled(if: layerIsRoot, "needs root: entries are owned by uid 0"))
    func gnuLongNamesAndLinks() throws {
        let tmp = try LayerTempDir()
        let root = try tmp.sub("root", make: true)
        let long = String(repeating: "g", count: 120)
        let target = String(repeating: "t/", count: 70) + "end"
        try layerMakeTar([.dir("a"), .file("a/" + long, "data"), .symlink("a/" + long + ".sym", to: target),
                          .hardlink("a/" + long + ".hard", to: "a/" + long)],
                         at: tmp.path + "/g.tar", format: "gnu")
        try layerApplyFile(tmp.path + "/g.tar", to: root, mode: .flattened)
        #expect(try String(contentsOfFile: root + "/a/" + long, encoding: .utf8) == "data")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/a/" + long + ".sym") == target)
        #expect(layerStat(root + "/a/" + long + ".hard")?.st_ino == layerStat(root + "/a/" + long)?.st_ino)
    }

    @Test(.enabled(if: layerIsRoot, "needs root: entries are owned by uid 0"))
    func entriesReplaceOtherTypesAndDirectoriesMerge() throws {
        let tmp = try LayerTempDir()
        let root = try tmp.sub("root", make: true)
        try layerShell("cd '\(root)' && mkdir -p x/sub m && echo a > x/sub/f && echo y > y && echo k > m/keep && ln -s /etc z")
        try layerMakeTar([.file("x", "now a file"), .dir("y"), .file("y/in"), .dir("m", mode: 0o700),
                          .file("m/new", "n"), .dir("z")], at: tmp.path + "/r.tar")
        try layerApplyFile(tmp.path + "/r.tar", to: root, mode: .flattened)
        #expect(try String(contentsOfFile: root + "/x", encoding: .utf8) == "now a file")
        #expect(layerStat(root + "/y/in") != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/m").sorted() == ["keep", "new"])
        #expect(layerStat(root + "/m").map { $0.st_mode & 0o777 } == 0o700)
        #expect(layerStat(root + "/z").map { $0.st_mode & S_IFMT } == S_IFDIR)
    }

    @Test(.enabled(if: layerIsRoot, "needs root: entries are owned by uid 0"))
    func whiteoutsDeleteForRealWhenFlattened() throws {
        let tmp = try LayerTempDir()
        let root = try tmp.sub("root", make: true)
        try layerShell("cd '\(root)' && mkdir -p a b/sub && touch a/f1 a/f2 b/old b/sub/deep c")
        try layerMakeTar([.file(".wh.c"), .dir("a"), .file("a/.wh.f1"), .dir("b"), .file("b/new"),
                          .dir("b/sub"), .file("b/.wh..wh..opq")], at: tmp.path + "/w.tar")
        try layerApplyFile(tmp.path + "/w.tar", to: root, mode: .flattened)
        #expect(layerStat(root + "/c") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a") == ["f2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/b").sorted() == ["new", "sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/b/sub") == [])
    }

    @Test(.enabled(if: layerIsRoot, "needs root: whiteout devices, trusted xattrs, overlay mount"))
    func whiteoutsBecomeOverlayWhiteoutsInASnapshot() throws {
        let tmp = try LayerTempDir()
        let lower = try tmp.sub("lower", make: true)
        try layerShell("cd '\(lower)' && mkdir -p a b && chmod 0751 a && touch a/f1 a/f2 b/old c")
        try layerMakeTar([.file(".wh.c"), .file("a/.wh.f1"), .dir("b"), .file("b/.wh..wh..opq"), .file("b/new")],
                         at: tmp.path + "/w.tar")
        let snapshot = try tmp.sub("snap")
        _ = try LayerApplier().applyFresh(layerAt: tmp.path + "/w.tar", into: snapshot, parent: [lower])
        for whiteout in ["c", "a/f1"] {
            let st = try #require(layerStat(snapshot + "/" + whiteout))
            #expect(st.st_mode & S_IFMT == S_IFCHR && st.st_rdev == 0)
        }
        #expect(layerStat(snapshot + "/a").map { $0.st_mode & 0o777 } == 0o751)  // copied up from the lower
        #expect(try layerXattr(snapshot + "/b", "trusted.overlay.opaque") == "79")
        #expect(try layerXattr(snapshot + "/a", "trusted.overlay.opaque") == nil)

        let merged = try tmp.sub("merged", make: true)
        guard mount("overlay", merged, "overlay", 0, "lowerdir=\(snapshot):\(lower)") == 0 else {
            throw LayerTestError("overlay mount: errno \(errno)")
        }
        defer { umount2(merged, Int32(MNT_DETACH)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: merged).sorted() == ["a", "b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: merged + "/a") == ["f2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: merged + "/b") == ["new"])
    }

    @Test(.enabled(if: layerIsRoot, "needs root: copy-up keeps owners"))
    func hardLinkToALowerFileIsCopiedUpAndSymlinksInsideFollowed() throws {
        let tmp = try LayerTempDir()
        let lower = try tmp.sub("lower", make: true)
        try layerShell("cd '\(lower)' && mkdir -p bin usr/lib && echo tool > bin/tool && ln -s usr/lib lib")
        try layerMakeTar([.hardlink("bin/tool2", to: "bin/tool"), .file("lib/x", "via symlink")], at: tmp.path + "/h.tar")
        let snapshot = try tmp.sub("snap")
        _ = try LayerApplier().applyFresh(layerAt: tmp.path + "/h.tar", into: snapshot, parent: [lower])
        #expect(try String(contentsOfFile: snapshot + "/bin/tool2", encoding: .utf8) == "tool\n")
        #expect(layerStat(snapshot + "/bin/tool2")?.st_ino == layerStat(snapshot + "/bin/tool")?.st_ino)
        #expect(try String(contentsOfFile: snapshot + "/usr/lib/x", encoding: .utf8) == "via symlink")
        #expect(layerStat(snapshot + "/lib") == nil)
    }

    @Test(.enabled(if: layerIsRoot, "needs root: entries are owned by uid 0"))
    func compressedLayersAndDiffIDs() throws {
        let tmp = try LayerTempDir()
        try layerMakeTar([.dir("etc"), .file("etc/hostname", "berth\n"), .file("big", String(repeating: "0123456789", count: 50_000))],
                         at: tmp.path + "/l.tar")
        try layerShell("cd '\(tmp.path)' && gzip -k -n l.tar && zstd -q -k l.tar && gunzip -c l.tar.gz > copy.tar")
        let expected = try layerSha256(tmp.path + "/copy.tar")
        for (file, compression) in [("l.tar", nil), ("l.tar.gz", nil), ("l.tar.zst", nil),
                                    ("l.tar.gz", LayerCompression.gzip), ("l.tar.zst", .zstd), ("l.tar", LayerCompression.none)] {
            let root = try tmp.sub("root-\(file)-\(compression?.rawValue ?? "auto")", make: true)
            let result = try LayerApplier().apply(layerAt: tmp.path + "/" + file, compression: compression, to: root, mode: .flattened)
            #expect(result.diffID == expected, "\(file)")
            #expect(result.size == Int64(layerStat(tmp.path + "/copy.tar")!.st_size))
            #expect(try String(contentsOfFile: root + "/etc/hostname", encoding: .utf8) == "berth\n")
        }
    }

    @Test func garbageIsAnArchiveErrorAndLeavesNothing() throws {
        let tmp = try LayerTempDir()
        try "not a tar at all, certainly not".write(toFile: tmp.path + "/bad", atomically: false, encoding: .utf8)
        #expect(throws: LayerError.self) {
            try LayerApplier().applyFresh(layerAt: tmp.path + "/bad", into: tmp.path + "/final", parent: [])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["bad"])
    }

    @Test func mediaTypesMapToCompressions() {
        #expect(LayerCompression(mediaType: "application/vnd.oci.image.layer.v1.tar+zstd") == .zstd)
        #expect(LayerCompression(mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip") == .gzip)
        #expect(LayerCompression(mediaType: "application/vnd.oci.image.layer.v1.tar") == LayerCompression.none)
        #expect(LayerCompression(mediaType: "application/json") == nil)
        #expect(LayerError.unsupportedCompression(mediaType: LayerCompression.zstd.ociMediaType).description
            .contains("application/vnd.oci.image.layer.v1.tar+zstd"))
    }
}
