import Foundation
import Testing

@testable import OCI

@Test func ociLayoutMarkerRoundTripsAndRefusesOtherVersions() throws {
    let layout = try OCILayout.decode(from: Data(#"{"imageLayoutVersion": "1.0.0"}"#.utf8))
    #expect(layout == OCILayout())
    let encoder = JSONEncoder()
    #expect(String(decoding: try encoder.encode(layout), as: UTF8.self) == #"{"imageLayoutVersion":"1.0.0"}"#)
    do {
        _ = try OCILayout.decode(from: Data(#"{"imageLayoutVersion": "2.0.0"}"#.utf8))
        Issue.record("2.0.0 accepted")
    } catch {
        #expect(error.description == #"oci-layout: imageLayoutVersion: unsupported version "2.0.0" (expected 1.0.0)"#)
    }
    let digest = try Digest(parsing: "sha256:" + String(repeating: "a", count: 64))
    #expect(OCILayout.blobPath(for: digest) == "blobs/sha256/" + String(repeating: "a", count: 64))
    #expect(OCILayout.fileName == "oci-layout")
    #expect(OCILayout.indexFileName == "index.json")
}

@Test func layoutIndexCarriesRefNameAnnotations() throws {
    let json = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
         {"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:\(String(repeating: "b", count: 64))","size":856,
          "annotations":{"io.containerd.image.name":"docker.io/library/busybox:latest","org.opencontainers.image.ref.name":"latest"}}]}
        """
    let index = try Index.decode(from: Data(json.utf8))
    let annotations = try #require(index.manifests.first?.annotations)
    #expect(annotations[ImageAnnotation.refName] == "latest")
    #expect(annotations[ImageAnnotation.containerdImageName] == "docker.io/library/busybox:latest")
    #expect(ImageAnnotation.refName == "org.opencontainers.image.ref.name")
    #expect(ImageAnnotation.containerdImageName == "io.containerd.image.name")
}

@Test func dockerArchiveManifestDecodesOldAndNewLayouts() throws {
    let json = """
        [{"Config":"blobs/sha256/\(String(repeating: "c", count: 64))","RepoTags":["busybox:latest","busybox:1.36"],
          "Layers":["blobs/sha256/\(String(repeating: "d", count: 64))"],
          "LayerSources":{"sha256:\(String(repeating: "d", count: 64))":{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar","size":5,"digest":"sha256:\(String(repeating: "e", count: 64))","urls":["https://example.com/l"]}}},
         {"Config":"\(String(repeating: "f", count: 64)).json","RepoTags":null,"Layers":["\(String(repeating: "0", count: 64))/layer.tar"]}]
        """
    let entries = try DockerArchiveManifestEntry.decodeList(from: Data(json.utf8))
    #expect(entries.count == 2)
    #expect(entries[0].repoTags == ["busybox:latest", "busybox:1.36"])
    #expect(entries[0].layerSources?.values.first?.urls == ["https://example.com/l"])
    #expect(entries[1].repoTags.isEmpty)
    #expect(entries[1].layers == ["\(String(repeating: "0", count: 64))/layer.tar"])
    let again = try DockerArchiveManifestEntry.decodeList(from: try DockerArchiveManifestEntry.encodeList(entries))
    #expect(again == entries)
    let text = String(decoding: try DockerArchiveManifestEntry.encodeList([entries[1]]), as: UTF8.self)
    #expect(text.contains(#""Config":"#) && text.contains(#""RepoTags":[]"#) && text.contains(#""Layers":["#))
}

@Test func dockerArchiveManifestErrorsNameThePath() {
    do {
        _ = try DockerArchiveManifestEntry.decodeList(from: Data(#"[{"RepoTags":[]}]"#.utf8))
        Issue.record("accepted")
    } catch {
        #expect(error.description == "manifest.json: [0].Config: required field is missing")
    }
}

@Test func legacyRepositoriesFileDecodes() throws {
    let json = #"{"busybox":{"latest":"\#(String(repeating: "a", count: 64))"}}"#
    let repositories = try JSONDecoder().decode(DockerArchiveRepositories.self, from: Data(json.utf8))
    #expect(repositories["busybox"]?["latest"] == String(repeating: "a", count: 64))
}
