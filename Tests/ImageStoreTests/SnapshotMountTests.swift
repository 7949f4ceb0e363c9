import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// Builds `count` committed snapshots stacked on each other, each with one marker file
/// (`layer-<n>`) and a shared file `top` that each layer overrides. Returns chain IDs top first.
func storeStackedSnapshots(_ store: SnapshotStore, count: Int) throws -> [Digest] {
    let diffIDs = (0..<count).map { Digester.digest(of: Array("layer \($0)".utf8)) }
    let chain = ChainID.compute(diffIDs: diffIDs)
    for (n, chainID) in chain.enumerated() {
        let active = try store.prepare(key: "layer-\(n)", parent: n == 0 ? nil : chain[n - 1])
        try Data("\(n)".utf8).write(to: URL(fileURLWithPath: active.fs + "/layer-\(n)"))
        try Data("\(n)".utf8).write(to: URL(fileURLWithPath: active.fs + "/top"))
        try store.commit(key: "layer-\(n)", as: chainID)
    }
    return chain.reversed()
}

@Suite("Root filesystem mounts", .serialized, .enabled(if: storeIsRoot, "overlay mounts need root"))
struct SnapshotMountTests {
    @Test(arguments: [2, 50, 200], [ContainerRootFS.Strategy.mountAPI, .shortLinks])
    func overlayShowsEveryLayerAndWritesGoToUpper(layers: Int, strategy: ContainerRootFS.Strategy) async throws {
        try await StoreTempRoot.with { root in
            let snapshots = try SnapshotStore(root: root)
            let chain = try storeStackedSnapshots(snapshots, count: layers)
            let upper = root + "/c/upper", work = root + "/c/work", target = root + "/c/rootfs"
            for dir in [upper, work, target] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let rootfs = ContainerRootFS(snapshots: snapshots, strategy: strategy)
            try rootfs.mount(lowerChain: chain, upper: upper, work: work, target: target)
            defer { try? ContainerRootFS.unmount(target) }

            #expect(ContainerRootFS.isMounted(target))
            let names = Set(storeListing(target))
            #expect(names.count == layers + 1)
            for n in 0..<layers { #expect(names.contains("layer-\(n)")) }
            #expect(try String(contentsOfFile: target + "/top", encoding: .utf8) == "\(layers - 1)")
            try Data("new".utf8).write(to: URL(fileURLWithPath: target + "/written"))
            #expect(try String(contentsOfFile: upper + "/written", encoding: .utf8) == "new")
            #expect(!FileManager.default.fileExists(atPath: snapshots.fsPath(for: chain[0]) + "/written"))

            try ContainerRootFS.unmount(target)
            #expect(storeMountPoints(under: root).isEmpty)
            #expect(!ContainerRootFS.isMounted(target))
        }
    }

    @Test func readOnlyOverlayAndSingleLayerBind() async throws {
        try await StoreTempRoot.with { root in
            let snapshots = try SnapshotStore(root: root)
            let chain = try storeStackedSnapshots(snapshots, count: 3)
            let rootfs = ContainerRootFS(snapshots: snapshots)
            let view = root + "/view", single = root + "/single"
            for dir in [view, single] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

            try rootfs.mountReadOnly(lowerChain: chain, target: view)
            defer { try? ContainerRootFS.unmount(view) }
            #expect(storeListing(view) == ["layer-0", "layer-1", "layer-2", "top"])
            #expect(open(view + "/new", O_CREAT | O_WRONLY, 0o644) == -1 && errno == EROFS)

            try rootfs.mountReadOnly(lowerChain: [chain.last!], target: single)
            defer { try? ContainerRootFS.unmount(single) }
            #expect(storeListing(single) == ["layer-0", "top"])
            #expect(open(single + "/new", O_CREAT | O_WRONLY, 0o644) == -1 && errno == EROFS)

            try ContainerRootFS.unmount(view)
            try ContainerRootFS.unmount(single)
            #expect(storeMountPoints(under: root).isEmpty)
        }
    }

    @Test func unmountRemovesStackedMountsAndRetriesBusy() async throws {
        try await StoreTempRoot.with { root in
            let snapshots = try SnapshotStore(root: root)
            let chain = try storeStackedSnapshots(snapshots, count: 2)
            let rootfs = ContainerRootFS(snapshots: snapshots)
            let target = root + "/stacked"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try rootfs.mountReadOnly(lowerChain: chain, target: target)
            try rootfs.mountReadOnly(lowerChain: [chain[1]], target: target)
            defer { try? ContainerRootFS.unmount(target, detachIfBusy: true) }
            #expect(storeMountPoints(under: target).count == 2)

            // An open file keeps it busy: a plain unmount reports it instead of hiding it.
            let fd = open(target + "/top", O_RDONLY)
            #expect(fd >= 0)
            #expect(throws: SnapshotError.busy(target: target, seconds: 0.1)) { try ContainerRootFS.unmount(target, timeout: 0.1) }
            close(fd)
            try ContainerRootFS.unmount(target)
            #expect(storeMountPoints(under: root).isEmpty)
        }
    }

    @Test func missingSnapshotIsReportedByChainID() async throws {
        try await StoreTempRoot.with { root in
            let snapshots = try SnapshotStore(root: root)
            let missing = Digester.digest(of: [9])
            let target = root + "/t"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            #expect(throws: SnapshotError.notFound(missing)) {
                try ContainerRootFS(snapshots: snapshots).mount(lowerChain: [missing], upper: root, work: root, target: target)
            }
            #expect(storeMountPoints(under: root).isEmpty)
        }
    }
}
