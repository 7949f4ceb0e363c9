import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// Asserts that `store` holds no image and no blob, and its temp area is empty.
func xferExpectUnchanged(_ store: ImageStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(try store.list(includeDangling: true).isEmpty, sourceLocation: sourceLocation)
    #expect(try store.content.list().isEmpty, sourceLocation: sourceLocation)
    #expect(storeListing(store.content.ingestDirectory).isEmpty, sourceLocation: sourceLocation)
    #expect(storeListing(store.root + "/tmp").isEmpty, sourceLocation: sourceLocation)
}

@Suite("bad archives and layouts are refused, naming what is wrong", .serialized)
struct ImportRejectionTests {
    @Test func layerWhoseDiffIDDoesNotMatchTheConfig() async throws {
        try await withImageStore { store, root in
            let good = try xferLayer(root + "/in", "a.tar", files: ["a": "1"])
            let wrong = Digester.digest(of: Array("something else".utf8))
            let fixture = try xferLegacyArchive(root + "/in", layerFiles: [good], repoTag: "bad:v1", diffIDs: [wrong])
            let error = #expect(throws: TransferError.self) { try store.load(from: fixture.archive) }
            guard case .diffIDMismatch(let layer, 0, let expected, _) = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(layer.hasSuffix("/layer.tar"))
            #expect(expected == wrong)
            #expect(error?.description.contains(layer) == true)
            try xferExpectUnchanged(store)
        }
    }

    @Test func configWhoseDigestDoesNotMatchItsName() async throws {
        try await withImageStore { store, root in
            let good = try xferLayer(root + "/in", "a.tar", files: ["a": "1"])
            let liar = Digester.digest(of: Array("not the config".utf8))
            let fixture = try xferLegacyArchive(root + "/in", layerFiles: [good], repoTag: "bad:v1", configName: liar.encoded + ".json")
            #expect(throws: TransferError.digestMismatch(name: liar.encoded + ".json", expected: liar, actual: fixture.config)) {
                try store.load(from: fixture.archive)
            }
            try xferExpectUnchanged(store)
        }
    }

    @Test(arguments: [false, true])
    func manifestNamingAMissingBlob(asDirectory: Bool) async throws {
        try await withImageStore { store, root in
            let fixture = try xferDocker25Archive(root + "/in", files: ["a": "1"], name: "missing:v1", dropBlob: true, asDirectory: asDirectory)
            let error = #expect(throws: TransferError.self) { try store.load(from: fixture.archive) }
            guard case .missingBlob(let digest, let referencedBy) = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(digest == fixture.diffIDs[0])
            #expect(referencedBy.hasPrefix("manifest sha256:"))
            try xferExpectUnchanged(store)
        }
    }

    @Test func memberClimbingOutOfTheArchive() async throws {
        try await withImageStore { store, root in
            let dir = root + "/deep/in"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let archive = dir + "/evil.tar"
            try xferMakeTar([XferTarMember(name: "manifest.json", data: "[]"), XferTarMember(name: "../evil", data: "gotcha")], at: archive)
            #expect(throws: TransferError.memberEscapes(entry: "../evil")) { try store.load(from: archive) }
            for place in [root + "/deep/evil", root + "/evil", store.root + "/evil", store.root + "/tmp/evil"] {
                #expect(!FileManager.default.fileExists(atPath: place), "\(place)")
            }
            try xferExpectUnchanged(store)
        }
    }

    @Test func symlinkMemberPointingOut() async throws {
        try await withImageStore { store, root in
            let archive = root + "/link.tar"
            try xferMakeTar([XferTarMember(name: "manifest.json", type: "sym", link: "../../../etc/passwd")], at: archive)
            #expect(throws: TransferError.memberEscapes(entry: "manifest.json")) { try store.load(from: archive) }
            try xferExpectUnchanged(store)
        }
    }

    @Test func somethingThatIsNoImageArchive() async throws {
        try await withImageStore { store, root in
            let archive = root + "/plain.tar"
            try xferMakeTar([XferTarMember(name: "hello.txt", data: "hi")], at: archive)
            #expect(throws: TransferError.unknownFormat(path: archive)) { try store.load(from: archive) }
            try xferExpectUnchanged(store)
        }
    }
}
