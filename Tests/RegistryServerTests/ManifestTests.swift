import Foundation
import OCI
import Testing
@testable import RegistryServer

@Suite struct ManifestTests {
    @Test func putGetHeadByTagAndDigest() async throws {
        try await withRegistry { registry in
            let (digest, manifest) = try await registry.pushImage("app/web", tag: "v1", layers: [[1, 2, 3], [4, 5]])
            for reference in ["v1", digest.string] {
                let get = try await registry.send(.GET, "/v2/app/web/manifests/\(reference)")
                #expect(get.status == 200)
                #expect(get.body == manifest)
                #expect(get.header("Content-Type") == MediaType.ociManifest)
                #expect(get.header("Docker-Content-Digest") == digest.string)
                let head = try await registry.send(.HEAD, "/v2/app/web/manifests/\(reference)")
                #expect(head.status == 200)
                #expect(head.header("Content-Length") == String(manifest.count))
            }
        }
    }

    @Test func manifestWithMissingBlobIsManifestBlobUnknown() async throws {
        try await withRegistry { registry in
            let config = try await registry.pushBlob("m", Array("{}".utf8))
            let missing = TestRegistry.sha256([7, 7, 7])
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"\#(config)","size":2},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"\#(missing)","size":3}]}"#
            let reply = try await registry.send(.PUT, "/v2/m/manifests/latest",
                                                headers: [("Content-Type", MediaType.dockerManifest)], body: Array(manifest.utf8))
            #expect(reply.status == 400)
            #expect(reply.errorCode == "MANIFEST_BLOB_UNKNOWN")
            #expect(try await registry.send(.GET, "/v2/m/manifests/latest").status == 404)
        }
    }

    @Test func indexNeedsItsChildManifests() async throws {
        try await withRegistry { registry in
            let (child, manifest) = try await registry.pushImage("multi", tag: "amd64", layers: [[1]])
            let missing = TestRegistry.sha256([0])
            func index(_ digest: Digest) -> [UInt8] {
                Array(#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(digest)","size":\#(manifest.count),"platform":{"architecture":"amd64","os":"linux"}}]}"#.utf8)
            }
            let bad = try await registry.send(.PUT, "/v2/multi/manifests/latest", headers: [("Content-Type", MediaType.dockerManifestList)], body: index(missing))
            #expect(bad.errorCode == "MANIFEST_BLOB_UNKNOWN")
            let good = try await registry.send(.PUT, "/v2/multi/manifests/latest", headers: [("Content-Type", MediaType.dockerManifestList)], body: index(child))
            #expect(good.status == 201)
            let get = try await registry.send(.GET, "/v2/multi/manifests/latest")
            #expect(get.header("Content-Type") == MediaType.dockerManifestList)
        }
    }

    @Test func invalidManifestsAreRejected() async throws {
        try await withRegistry { registry in
            let garbage = try await registry.send(.PUT, "/v2/m/manifests/x", headers: [("Content-Type", MediaType.ociManifest)], body: Array("not json".utf8))
            #expect(garbage.status == 400)
            #expect(garbage.errorCode == "MANIFEST_INVALID")
            let body = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#.utf8)
            let wrongDigest = try await registry.send(.PUT, "/v2/m/manifests/\(TestRegistry.sha256([1]))",
                                                      headers: [("Content-Type", MediaType.ociIndex)], body: body)
            #expect(wrongDigest.errorCode == "DIGEST_INVALID")
            let mismatch = try await registry.send(.PUT, "/v2/m/manifests/x", headers: [("Content-Type", MediaType.ociManifest)], body: body)
            #expect(mismatch.errorCode == "MANIFEST_INVALID")
        }
    }

    @Test func unknownManifestIsManifestUnknown() async throws {
        try await withRegistry { registry in
            let reply = try await registry.send(.GET, "/v2/none/manifests/latest")
            #expect(reply.status == 404)
            #expect(reply.errorCode == "MANIFEST_UNKNOWN")
        }
    }

    @Test func deleteTagThenManifest() async throws {
        try await withRegistry { registry in
            let (digest, _) = try await registry.pushImage("del", tag: "one", layers: [[1]])
            let tagged = try await registry.send(.PUT, "/v2/del/manifests/two", headers: [("Content-Type", MediaType.ociManifest)],
                                                 body: try await registry.send(.GET, "/v2/del/manifests/one").body)
            #expect(tagged.status == 201)
            #expect(try await registry.send(.DELETE, "/v2/del/manifests/one").status == 202)
            #expect(try await registry.send(.GET, "/v2/del/manifests/one").status == 404)
            #expect(try await registry.send(.GET, "/v2/del/manifests/two").status == 200)
            #expect(try await registry.send(.DELETE, "/v2/del/manifests/\(digest)").status == 202)
            #expect(try await registry.send(.GET, "/v2/del/manifests/two").status == 404)
            #expect(try await registry.send(.GET, "/v2/del/manifests/\(digest)").errorCode == "MANIFEST_UNKNOWN")
            #expect(try await registry.send(.DELETE, "/v2/del/manifests/\(digest)").status == 404)
        }
    }

    @Test func subjectGivesOCISubjectAndReferrers() async throws {
        try await withRegistry { registry in
            let (subject, manifest) = try await registry.pushImage("ref", tag: "v1", layers: [[1]])
            let empty = try await registry.pushBlob("ref", Array("{}".utf8))
            func artifact(_ type: String) -> [UInt8] {
                Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"\#(type)","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(empty)","size":2},"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(subject)","size":\#(manifest.count)}}"#.utf8)
            }
            let signature = artifact("application/vnd.example.signature")
            let sbom = artifact("application/vnd.example.sbom")
            let put = try await registry.send(.PUT, "/v2/ref/manifests/\(TestRegistry.sha256(signature))",
                                              headers: [("Content-Type", MediaType.ociManifest)], body: signature)
            #expect(put.status == 201)
            #expect(put.header("OCI-Subject") == subject.string)
            _ = try await registry.send(.PUT, "/v2/ref/manifests/\(TestRegistry.sha256(sbom))", headers: [("Content-Type", MediaType.ociManifest)], body: sbom)
            let all = try await registry.send(.GET, "/v2/ref/referrers/\(subject)")
            #expect(all.status == 200)
            #expect(all.header("Content-Type") == MediaType.ociIndex)
            let index = try JSONDecoder().decode(Index.self, from: Data(all.body))
            #expect(Set(index.manifests.map(\.digest)) == [TestRegistry.sha256(signature), TestRegistry.sha256(sbom)])
            let filtered = try await registry.send(.GET, "/v2/ref/referrers/\(subject)?artifactType=application/vnd.example.sbom")
            #expect(filtered.header("OCI-Filters-Applied") == "artifactType")
            let only = try JSONDecoder().decode(Index.self, from: Data(filtered.body))
            #expect(only.manifests.map(\.digest) == [TestRegistry.sha256(sbom)])
            #expect(only.manifests.first?.artifactType == "application/vnd.example.sbom")
            let none = try await registry.send(.GET, "/v2/ref/referrers/\(TestRegistry.sha256([5]))")
            #expect(try JSONDecoder().decode(Index.self, from: Data(none.body)).manifests.isEmpty)
            // Deleting the referrer removes it from the list.
            _ = try await registry.send(.DELETE, "/v2/ref/manifests/\(TestRegistry.sha256(sbom))")
            let after = try JSONDecoder().decode(Index.self, from: Data(try await registry.send(.GET, "/v2/ref/referrers/\(subject)").body))
            #expect(after.manifests.map(\.digest) == [TestRegistry.sha256(signature)])
        }
    }
}
