import Foundation
import ImageStore
import OCI
import Testing

@Suite("Snapshots")
struct SnapshotStoreTests {
    // Expected values computed outside Swift, with sha256 of the strings:
    //   printf a | sha256sum; printf "%s %s" "$A" "$B" | sha256sum; ...
    static let a = storeDigest("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
    static let b = storeDigest("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d")
    static let c = storeDigest("sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6")

    @Test func chainIDsFollowTheOCIRule() {
        let chain = ChainID.compute(diffIDs: [Self.a, Self.b, Self.c])
        #expect(chain.count == 3)
        #expect(chain[0] == Self.a)
        #expect(chain[1].string == "sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676")
        #expect(chain[2].string == "sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106")
        // The same rule, spelled out with the digester.
        #expect(chain[1] == Digester.digest(of: Array("\(Self.a.string) \(Self.b.string)".utf8)))
        #expect(ChainID.top(diffIDs: []) == nil)
        #expect(ChainID.top(diffIDs: [Self.a]) == Self.a)
    }

    @Test func prepareCommitRemove() async throws {
        try await StoreTempRoot.with { root in
            let store = try SnapshotStore(root: root)
            let chain = ChainID.compute(diffIDs: [Self.a, Self.b])
            let base = try store.prepare(key: "extract-a", parent: nil)
            #expect(base.lowerDirectories.isEmpty)
            #expect(FileManager.default.fileExists(atPath: base.work))
            #expect(throws: SnapshotError.activeExists(key: "extract-a")) { try store.prepare(key: "extract-a", parent: nil) }
            try Data("base".utf8).write(to: URL(fileURLWithPath: base.fs + "/a.txt"))
            #expect(try store.activeKeys() == ["extract-a"])
            // Nothing is visible under the chain ID before the commit.
            #expect(!store.exists(chainID: chain[0]))
            let committed = try store.commit(key: "extract-a", as: chain[0])
            #expect(committed.fs == "\(root)/snapshots/\(chain[0].encoded)/fs")
            #expect(store.exists(chainID: chain[0]))
            #expect(try store.activeKeys().isEmpty)
            #expect(try String(contentsOfFile: committed.fs + "/a.txt", encoding: .utf8) == "base")

            let top = try store.prepare(key: "extract-b", parent: chain[0])
            #expect(top.lowerDirectories == [committed.fs])
            try store.commit(key: "extract-b", as: chain[1])
            #expect(try store.chain(of: chain[1]) == [chain[1], chain[0]])
            #expect(try store.info(chainID: chain[1]).parent == chain[0])
            #expect(try store.usage(chainID: chain[0]) > 0)
            let link = try store.shortLink(for: chain[0])
            #expect(link.count == 8)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: store.linkDirectory + "/" + link) == "../\(chain[0].encoded)/fs")

            // A second commit of the same chain (a concurrent pull) keeps the first.
            let again = try store.prepare(key: "extract-a-again", parent: nil)
            try Data("other".utf8).write(to: URL(fileURLWithPath: again.fs + "/a.txt"))
            try store.commit(key: "extract-a-again", as: chain[0])
            #expect(try String(contentsOfFile: committed.fs + "/a.txt", encoding: .utf8) == "base")
            #expect(try store.activeKeys().isEmpty)

            #expect(throws: SnapshotError.hasChildren(chain[0], child: chain[1])) { try store.remove(chainID: chain[0]) }
            try store.remove(chainID: chain[1])
            try store.remove(chainID: chain[0])
            #expect(try store.list().isEmpty)
            #expect(storeListing(store.linkDirectory).isEmpty)
            #expect(throws: SnapshotError.notFound(chain[0])) { try store.remove(chainID: chain[0]) }
            #expect(throws: SnapshotError.activeNotFound(key: "nope")) { try store.commit(key: "nope", as: chain[0]) }
            _ = try store.prepare(key: "abandoned", parent: nil)
            try store.removeActive(key: "abandoned")
            #expect(storeListing(root + "/snapshots/active").isEmpty)
            #expect(storeListing(root + "/snapshots/trash").isEmpty)
        }
    }
}
