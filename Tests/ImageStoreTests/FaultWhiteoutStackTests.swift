// Whiteouts across a stack of three layers: applied as snapshots and mounted with overlayfs,
// and applied flattened onto one directory; both views must be the same tree.
import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// Three layers exercising every whiteout case.
/// 1: the base.
/// 2: deletes file `gone`, directory `d`, file `re` and directory `rd`; makes `o` opaque with
///    one new file; deletes and re-creates `rd2` in the same layer; adds `a/f3`.
/// 3: re-creates file `re` and directory `rd` (new content only).
let faultWhiteoutLayers: [[LayerTarMember]] = [
    [
        .dir("a"), .file("a/f1", "f1"), .file("a/f2", "f2"),
        .dir("d"), .file("d/x", "x"), .dir("d/sub"), .file("d/sub/y", "y"),
        .dir("o"), .file("o/old1", "old1"), .dir("o/olddir"), .file("o/olddir/z", "z"),
        .file("keep", "keep"), .file("gone", "gone"), .file("re", "re-1"),
        .dir("rd"), .file("rd/old", "old"), .dir("rd2"), .file("rd2/old", "old2"),
    ],
    [
        .file(".wh.d"), .file(".wh.gone"), .file(".wh.rd"), .file(".wh.re"), .file(".wh.rd2"),
        .file("a/f3", "f3"),
        .dir("o", mode: 0o750), .file("o/.wh..wh..opq"), .file("o/new", "new"),
        .dir("rd2", mode: 0o700), .file("rd2/new", "new2"),
    ],
    [
        .file("re", "re-3", mode: 0o600),
        .dir("rd", mode: 0o711), .file("rd/new", "new"),
    ],
]

/// Paths of the merged tree, what each file holds, and what must be gone.
let faultWhiteoutExpected: [String: String?] = [
    "a": nil, "a/f1": "f1", "a/f2": "f2", "a/f3": "f3",
    "keep": "keep", "o": nil, "o/new": "new", "re": "re-3",
    "rd": nil, "rd/new": "new", "rd2": nil, "rd2/new": "new2",
]

@Suite("Fault: whiteouts in stacked snapshots", .serialized, .enabled(if: layerIsRoot, "overlay snapshots need root (whiteout devices, trusted xattrs, mounts)"))
struct FaultWhiteoutStackTests {
    @Test(arguments: [ContainerRootFS.Strategy.mountAPI, .shortLinks])
    func mergedOverlayViewEqualsFlattenedTree(strategy: ContainerRootFS.Strategy) async throws {
        try await StoreTempRoot.with { root in
            let snapshots = try SnapshotStore(root: root + "/store")
            let flat = root + "/flat", merged = root + "/merged"
            for dir in [flat, merged] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

            var diffIDs: [Digest] = []
            for (n, members) in faultWhiteoutLayers.enumerated() {
                let tar = root + "/layer\(n).tar"
                try layerMakeTar(members, at: tar)
                let parent = diffIDs.isEmpty ? nil : ChainID.compute(diffIDs: diffIDs).last
                let active = try snapshots.prepare(key: "fault-\(n)", parent: parent)
                let applied = try layerApplyFile(tar, to: active.fs, mode: .overlay(lowerDirs: active.lowerDirectories))
                let flatApplied = try layerApplyFile(tar, to: flat, mode: .flattened)
                #expect(applied == flatApplied)
                #expect(applied.diffID == (try layerSha256(tar)))
                diffIDs.append(try Digest(parsing: applied.diffID))
                try snapshots.commit(key: "fault-\(n)", as: ChainID.compute(diffIDs: diffIDs).last!)
            }

            let chain = Array(ChainID.compute(diffIDs: diffIDs).reversed())
            try ContainerRootFS(snapshots: snapshots, strategy: strategy).mountReadOnly(lowerChain: chain, target: merged)
            defer { try? ContainerRootFS.unmount(merged) }

            for tree in [merged, flat] {
                let paths = Set(FileManager.default.subpaths(atPath: tree) ?? [])
                #expect(paths == Set(faultWhiteoutExpected.keys), "\(tree): \(paths.sorted())")
                for (path, content) in faultWhiteoutExpected {
                    if let content {
                        #expect((try? String(contentsOfFile: tree + "/" + path, encoding: .utf8)) == content, "\(tree)/\(path)")
                    } else {
                        #expect(layerStat(tree + "/" + path).map { $0.st_mode & S_IFMT } == S_IFDIR, "\(tree)/\(path)")
                    }
                }
                #expect(layerStat(tree + "/re").map { $0.st_mode & 0o7777 } == 0o600)
                #expect(layerStat(tree + "/rd").map { $0.st_mode & 0o7777 } == 0o711)
                #expect(layerStat(tree + "/o").map { $0.st_mode & 0o7777 } == 0o750)
            }
            let mergedManifest = try layerTreeManifest(merged)
            let flatManifest = try layerTreeManifest(flat)
            #expect(mergedManifest == flatManifest)

            try ContainerRootFS.unmount(merged)
            #expect(storeMountPoints(under: root).isEmpty)
        }
    }
}
