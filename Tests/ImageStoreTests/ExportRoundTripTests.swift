import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// Imports two images (one with two names) into `store` for save tests; returns their manifest digests.
func xferSeedImages(_ store: ImageStore, in dir: String) throws -> [Digest] {
    let first = try xferLayer(dir, "one.tar.gz", files: ["bin/one": "1\n"], gzip: true)
    let second = try xferLayer(dir, "two.tar", files: ["bin/two": "2\n", "etc/two": "two\n"])
    let a = try store.importRootfs(tarballAt: first, reference: try ImageReference(parsing: "example.com/app/one:v1"),
                                   changes: ImageChanges(cmd: ["/bin/one"]), created: Date(timeIntervalSince1970: 1_700_000_000))
    try store.tag("example.com/app/one:v1", as: "one:latest")
    let b = try store.importRootfs(tarballAt: second, reference: try ImageReference(parsing: "two"),
                                   changes: ImageChanges(env: ["X=2"]), created: Date(timeIntervalSince1970: 1_700_000_000))
    return [a, b]
}

@Suite("save and load round trips", .serialized)
struct ExportRoundTripTests {
    static let names = ["docker.io/library/one:latest", "docker.io/library/two:latest", "example.com/app/one:v1"]

    @Test(arguments: [SaveFormat.ociLayout, .ociArchive, .dockerArchive])
    func saveThenLoadKeepsNamesDigestsAndConfig(format: SaveFormat) async throws {
        try await withImageStore { store, root in
            let digests = try xferSeedImages(store, in: root + "/in")
            let output = root + "/out/saved"
            try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
            try store.save(["example.com/app/one:v1", "one", "two"], to: output, format: format)
            #expect(storeListing(root + "/out") == ["saved"], "no temp files beside the output")

            let other = try ImageStore(root: root + "/other", platform: Platform(architecture: "amd64", os: "linux"))
            let loaded = try other.load(from: output)
            #expect(Set(loaded.map(\.target.digest)) == Set(digests))
            #expect(try other.list().map(\.name) == Self.names.map { Optional($0) })
            for name in Self.names {
                let before = try store.resolve(name), after = try other.resolve(name)
                #expect(after.target.digest == before.target.digest)
                #expect(after.config == before.config)
                #expect(after.layers == before.layers)
            }
            // Loading the same thing again changes nothing.
            try other.load(from: output)
            #expect(try other.list().count == 3)
        }
    }

    @Test func dockerArchiveHasBothLayouts() async throws {
        try await withImageStore { store, root in
            _ = try xferSeedImages(store, in: root + "/in")
            let output = root + "/saved.tar"
            try store.save(["one", "two"], to: output, format: .dockerArchive)
            let members = Set(try layerShell("tar -tf '\(output)'").split(separator: "\n").map(String.init))
            #expect(members.isSuperset(of: ["oci-layout", "index.json", "manifest.json", "repositories"]))
            let extracted = root + "/x"
            try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
            try layerShell("tar -C '\(extracted)' -xf '\(output)'")
            let entries = try DockerArchiveManifestEntry.decodeList(from: Data(contentsOf: URL(fileURLWithPath: extracted + "/manifest.json")))
            #expect(Set(entries.flatMap(\.repoTags)) == ["one:latest", "two:latest"])
            for entry in entries {
                #expect(entry.config.hasPrefix("blobs/sha256/"))
                for layer in entry.layers { #expect(FileManager.default.fileExists(atPath: extracted + "/" + layer)) }
            }
            let repositories = try JSONDecoder().decode(DockerArchiveRepositories.self, from: Data(contentsOf: URL(fileURLWithPath: extracted + "/repositories")))
            #expect(Set(repositories.keys) == ["one", "two"])
            let index = try Index.decode(from: Data(contentsOf: URL(fileURLWithPath: extracted + "/index.json")))
            #expect(Set(index.manifests.compactMap { $0.annotations?[ImageAnnotation.containerdImageName] })
                    == ["docker.io/library/one:latest", "docker.io/library/two:latest"])
            #expect(index.manifests.allSatisfy { $0.annotations?[ImageAnnotation.refName] == "latest" })
        }
    }

    @Test func saveRefusesAnExistingTargetAndUnknownImages() async throws {
        try await withImageStore { store, root in
            _ = try xferSeedImages(store, in: root + "/in")
            try xferWrite(root + "/exists", [1])
            #expect(throws: TransferError.destinationExists(path: root + "/exists")) {
                try store.save(["one"], to: root + "/exists", format: .ociLayout)
            }
            #expect(throws: ImageStoreError.imageNotFound("nope")) { try store.save(["nope"], to: root + "/new", format: .ociLayout) }
            #expect(!FileManager.default.fileExists(atPath: root + "/new"))
        }
    }
}
