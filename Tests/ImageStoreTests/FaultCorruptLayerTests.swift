// Corrupt layers (a gzip cut in the middle, a tar header with a bad checksum): a clear error,
// no snapshot directory (final or temporary) left behind, and a load that changes nothing.
import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// The two kinds of damage, each with the entry libarchive was reading when it noticed.
enum FaultDamage: String, CaseIterable, CustomStringConvertible, Sendable {
    /// A valid .tar.gz cut at half its length.
    case truncatedGzip
    /// A valid tar with one byte of the second entry's header changed.
    case badHeaderChecksum

    var description: String { rawValue }
}

/// A damaged layer file at `dir/<damage>.layer` and the diff ID the undamaged layer has.
func faultDamagedLayer(_ damage: FaultDamage, in dir: String) throws -> (path: String, intactDiffID: Digest) {
    let tar = dir + "/\(damage).tar"
    // GNU format with short names: no PAX records, so entry 2's header is at 1024.
    let big = String(repeating: "0123456789abcdef", count: 64 * 1024)  // 1 MiB, so the cut lands inside it
    try layerMakeTar([.file("first", "1"), .file("second", "2"), .file("big", big), .file("last", "z")], at: tar, format: "gnu")
    let intact = try xferDigest(ofFile: tar)
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: tar)))
    let path = dir + "/\(damage).layer"
    switch damage {
    case .truncatedGzip:
        try layerShell("gzip -n -c '\(tar)' > '\(tar).gz'")
        let gz = Array(try Data(contentsOf: URL(fileURLWithPath: tar + ".gz")))
        try Data(gz.prefix(gz.count / 2)).write(to: URL(fileURLWithPath: path))
    case .badHeaderChecksum:
        #expect(bytes[1024] == UInt8(ascii: "s"), "entry 2's header is where expected")
        bytes[1024] = UInt8(ascii: "t")  // name "second" -> "tecond"; the stored checksum no longer matches
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    return (path, intact)
}

/// Every regular file below `dir` (relative paths), sorted.
func faultFiles(under dir: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
    var files: [String] = []
    while let name = walker.nextObject() as? String {
        var st = stat()
        if lstat(dir + "/" + name, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { files.append(name) }
    }
    return files.sorted()
}

@Suite("Fault: corrupt layers fail cleanly", .serialized)
struct FaultCorruptLayerTests {
    @Test(arguments: FaultDamage.allCases)
    func applyFreshFailsAndLeavesNoDirectory(damage: FaultDamage) throws {
        let tmp = try LayerTempDir()
        let (layer, _) = try faultDamagedLayer(damage, in: try tmp.sub("in", make: true))
        let parent = try tmp.sub("snapshots", make: true)
        let final = parent + "/abc"

        let error = #expect(throws: LayerError.self) {
            try LayerApplier().applyFresh(layerAt: layer, into: final, parent: [])
        }
        guard case .archive(let entry, let message) = error else {
            Issue.record("expected LayerError.archive, got \(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
        switch damage {
        case .truncatedGzip:
            // The cut lands inside "big"; the error names it.
            #expect(entry == "big", "\(String(describing: error))")
        case .badHeaderChecksum:
            // The damaged header has no trustworthy name; the message must say the tar is damaged.
            #expect(message.lowercased().contains("damaged") || message.lowercased().contains("checksum"), "\(message)")
        }
        #expect(layerStat(final) == nil, "final directory must not appear")
        #expect(storeListing(parent).isEmpty, "no temp directory left: \(storeListing(parent))")
    }

    @Test(arguments: FaultDamage.allCases)
    func flattenedApplyRejectsTheLayerToo(damage: FaultDamage) throws {
        let tmp = try LayerTempDir()
        let (layer, _) = try faultDamagedLayer(damage, in: try tmp.sub("in", make: true))
        #expect(throws: LayerError.self) {
            try LayerApplier().apply(layerAt: layer, to: try tmp.sub("out", make: true), mode: .flattened)
        }
    }

    @Test(arguments: FaultDamage.allCases)
    func loadOfAnArchiveWithTheLayerLeavesTheStoreUnchanged(damage: FaultDamage) async throws {
        try await withImageStore { store, root in
            try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
            let (layer, intactDiffID) = try faultDamagedLayer(damage, in: root + "/in")
            // The config names the diff ID the undamaged layer has (for the bad checksum the helper's
            // own digest of the damaged tar would do as well; the layer must fail on its contents).
            let diffIDs = damage == .truncatedGzip ? [intactDiffID] : nil
            let fixture = try xferLegacyArchive(root + "/in", layerFiles: [layer], repoTag: "broken:v1", diffIDs: diffIDs)
            let blobsBefore = faultFiles(under: store.content.blobsDirectory)

            let error = #expect(throws: TransferError.self) { try store.load(from: fixture.archive) }
            guard case .invalidLayer(let name, let reason) = error else {
                Issue.record("expected TransferError.invalidLayer, got \(String(describing: error))")
                return
            }
            #expect(name.hasSuffix("layer.tar"), "names the layer: \(name)")
            #expect(!reason.isEmpty)
            #expect(error?.description.contains(name) == true)

            try xferExpectUnchanged(store)
            #expect(faultFiles(under: store.content.blobsDirectory) == blobsBefore)
            #expect(try store.snapshots.list().isEmpty)
            #expect(faultFiles(under: store.snapshots.directory).isEmpty, "\(faultFiles(under: store.snapshots.directory))")
        }
    }
}
