import Foundation
import Testing

@testable import OCI

/// A Docker schema 2 manifest as Docker Hub serves it for one platform of an image.
private let dockerManifestJSON = """
{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 1457,
      "digest": "sha256:ba5dc23f65d4cc4a4535bce55cf9e63b068eb02946e3422d3587e8ce803b6aab"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 2219949,
         "digest": "sha256:809d8e20e2038c2c4cd5a7a4d23a2ab92c43be3ac8f2d2b42c4b0d8e0ec2ff1c"
      },
      {
         "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
         "size": 1024,
         "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000001",
         "urls": ["https://mcr.microsoft.com/v2/windows/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000001"]
      }
   ]
}
"""

/// A Docker manifest list with two platforms.
private let dockerManifestListJSON = """
{
  "manifests": [
    {"digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
     "platform": {"architecture": "amd64", "os": "linux"}, "size": 528},
    {"digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
     "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}, "size": 528},
    {"digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333",
     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
     "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5329", "os.features": ["win32k"]}, "size": 528}
  ],
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "schemaVersion": 2
}
"""

/// An OCI index as BuildKit pushes it: two images and an attestation manifest.
private let ociIndexJSON = """
{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1000,
     "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1001,
     "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 839,
     "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
     "annotations": {"vnd.docker.reference.digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                     "vnd.docker.reference.type": "attestation-manifest"},
     "platform": {"architecture": "unknown", "os": "unknown"}}
  ],
  "annotations": {"org.opencontainers.image.created": "2024-05-01T10:00:00Z"}
}
"""

/// An OCI artifact manifest: empty config, artifactType, subject.
private let ociArtifactJSON = """
{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.example.sbom.v1+json",
  "config": {"mediaType": "application/vnd.oci.empty.v1+json", "size": 2, "data": "e30=",
             "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
  "layers": [{"mediaType": "application/vnd.example.sbom.v1+json", "size": 77,
              "digest": "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
              "annotations": {"org.opencontainers.image.title": "sbom.json"}}],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1000,
              "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
}
"""

private func decoded(_ json: String, _ mediaType: String?) throws(ImageError) -> ManifestOrIndex {
    try ManifestOrIndex.decode(data: Data(json.utf8), mediaType: mediaType)
}

private func failure(_ json: String, _ mediaType: String?) -> String? {
    do {
        _ = try decoded(json, mediaType)
        return nil
    } catch {
        return error.description
    }
}

@Test func dockerSchema2ManifestDecodesWithLayerMediaTypesKept() throws {
    guard case .manifest(let manifest) = try decoded(dockerManifestJSON, MediaType.dockerManifest) else {
        Issue.record("not a manifest"); return
    }
    #expect(manifest.isDockerSchema2)
    #expect(manifest.schemaVersion == 2)
    #expect(manifest.config.mediaType == MediaType.dockerConfig)
    #expect(manifest.config.size == 1457)
    #expect(manifest.config.digest.encoded == "ba5dc23f65d4cc4a4535bce55cf9e63b068eb02946e3422d3587e8ce803b6aab")
    #expect(manifest.layers.map(\.mediaType) == [MediaType.dockerLayerGzip, MediaType.dockerForeignLayerGzip])
    #expect(manifest.layers.map { MediaType.layerCompression($0.mediaType) } == [.gzip, .gzip])
    #expect(MediaType.isNondistributable(manifest.layers[1].mediaType))
    #expect(manifest.layers[1].urls?.count == 1)
    #expect(MediaType.ociEquivalent(manifest.mediaType ?? "") == MediaType.ociManifest)
    #expect(try decoded(dockerManifestJSON, MediaType.dockerManifest).ociMediaType == MediaType.ociManifest)
}

@Test func dockerManifestListDecodesAsAnIndexWithPlatforms() throws {
    guard case .index(let index) = try decoded(dockerManifestListJSON, MediaType.dockerManifestList) else {
        Issue.record("not an index"); return
    }
    #expect(index.isDockerManifestList)
    #expect(index.manifests.count == 3)
    #expect(index.manifests[1].platform == Platform(architecture: "arm", os: "linux", variant: "v6"))
    #expect(index.manifests[2].platform?.osVersion == "10.0.17763.5329")
    #expect(index.manifests[2].platform?.osFeatures == ["win32k"])
    #expect(index.manifests(for: Platform(architecture: "arm", os: "linux", variant: "v7")).map(\.size) == [528])
    #expect(index.manifests(for: Platform(architecture: "amd64", os: "linux")).map(\.digest.encoded.first) == ["1"])
    #expect(index.manifests(for: Platform(architecture: "amd64", os: "windows")).map(\.digest.encoded.first) == ["3"])
}

@Test func ociIndexPicksThePlatformAndSkipsAttestations() throws {
    guard case .index(let index) = try decoded(ociIndexJSON, MediaType.ociIndex) else {
        Issue.record("not an index"); return
    }
    #expect(!index.isDockerManifestList)
    #expect(index.annotations?[ImageAnnotation.created] == "2024-05-01T10:00:00Z")
    #expect(index.manifests(for: Platform(architecture: "arm64", os: "linux")).map(\.size) == [1001])
    #expect(index.manifests(for: Platform(architecture: "amd64", os: "linux")).map(\.size) == [1000])
    #expect(index.manifests(for: Platform(architecture: "s390x", os: "linux")).isEmpty)
}

@Test func ociArtifactManifestKeepsArtifactTypeSubjectAndEmbeddedData() throws {
    guard case .manifest(let manifest) = try decoded(ociArtifactJSON, MediaType.ociManifest) else {
        Issue.record("not a manifest"); return
    }
    #expect(!manifest.isDockerSchema2)
    #expect(manifest.artifactType == "application/vnd.example.sbom.v1+json")
    #expect(manifest.config == Descriptor.emptyJSON)
    #expect(manifest.config.decodedData == Array("{}".utf8))
    #expect(manifest.subject?.size == 1000)
    #expect(MediaType.layerCompression(manifest.layers[0].mediaType) == nil)
}

@Test func missingOrGenericContentTypeIsSniffedFromTheBody() throws {
    #expect(try decoded(dockerManifestJSON, nil).ociMediaType == MediaType.ociManifest)
    #expect(try decoded(dockerManifestListJSON, "application/json").ociMediaType == MediaType.ociIndex)
    let bareIndex = #"{"schemaVersion": 2, "manifests": []}"#
    #expect(try decoded(bareIndex, "application/octet-stream") == .index(Index(mediaType: nil, manifests: [])))
    let bareManifest = """
        {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2,
         "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}, "layers": []}
        """
    guard case .manifest(let manifest) = try decoded(bareManifest, "text/plain; charset=utf-8") else {
        Issue.record("not a manifest"); return
    }
    #expect(manifest.mediaType == nil)
    #expect(failure(#"{"schemaVersion": 2}"#, nil)
        == "manifest is neither an image manifest nor an index: it has no mediaType, manifests or layers")
}

@Test func schema1ManifestsAreRefused() {
    let signed = """
        {"schemaVersion": 1, "name": "library/busybox", "tag": "latest", "architecture": "amd64",
         "fsLayers": [{"blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
         "history": [{"v1Compatibility": "{}"}], "signatures": []}
        """
    let expected = ImageError.schema1.description
    #expect(expected.contains("schema 1 is not supported"))
    #expect(failure(signed, MediaType.dockerSchema1SignedManifest) == expected)
    #expect(failure(signed, nil) == expected)
    #expect(failure(signed, "application/json") == expected)
    #expect(failure(#"{"schemaVersion": 2}"#, MediaType.dockerSchema1Manifest) == expected)
}

@Test func manifestErrorsNameTheDocumentAndPath() {
    let badDigest = dockerManifestJSON.replacingOccurrences(
        of: "sha256:809d8e20e2038c2c4cd5a7a4d23a2ab92c43be3ac8f2d2b42c4b0d8e0ec2ff1c", with: "sha256:abc")
    #expect(failure(badDigest, MediaType.dockerManifest)
        == #"manifest: layers[0].digest: invalid digest "sha256:abc": sha256 needs 64 hex characters, got 3"#)
    let noConfig = #"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}"#
    #expect(failure(noConfig, MediaType.ociManifest) == "manifest: config: required field is missing")
    let stringSize = dockerManifestJSON.replacingOccurrences(of: "\"size\": 1457", with: "\"size\": \"1457\"")
    #expect(failure(stringSize, nil) == "manifest: config.size: expected a number")
    #expect(failure("{\"schemaVersion\": 2,", nil)?.hasPrefix("manifest is not valid JSON") == true)
    #expect(failure("[]", nil) == "manifest must be a JSON object")
    let noManifests = #"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json"}"#
    #expect(failure(noManifests, nil) == "index: manifests: required field is missing")
    let version3 = dockerManifestJSON.replacingOccurrences(of: "\"schemaVersion\": 2", with: "\"schemaVersion\": 3")
    #expect(failure(version3, nil) == "manifest: schemaVersion: must be 2, got 3")
}

@Test func contentTypeAndBodyMediaTypeMustAgree() {
    #expect(failure(dockerManifestJSON, MediaType.ociIndex)
        == #"manifest: mediaType: is "application/vnd.docker.distribution.manifest.v2+json" but the content was served as "application/vnd.oci.image.index.v1+json""#)
    #expect(failure(#"{"schemaVersion": 2}"#, MediaType.ociConfig)
        == #"unsupported manifest media type "application/vnd.oci.image.config.v1+json": expected an OCI or Docker schema 2 manifest or index"#)
}

@Test func manifestAndIndexRoundTripThroughJSON() throws {
    for json in [dockerManifestJSON, ociArtifactJSON] {
        let manifest = try Manifest.decode(from: Data(json.utf8))
        let again = try Manifest.decode(from: try manifest.encoded())
        #expect(again == manifest)
        #expect(!String(decoding: try manifest.encoded(), as: UTF8.self).contains("null"))
    }
    for json in [dockerManifestListJSON, ociIndexJSON] {
        let index = try Index.decode(from: Data(json.utf8))
        #expect(try Index.decode(from: try index.encoded(prettyPrinted: true)) == index)
    }
    let platformJSON = String(decoding: try Index.decode(from: Data(dockerManifestListJSON.utf8)).encoded(), as: UTF8.self)
    #expect(platformJSON.contains(#""os.version":"10.0.17763.5329""#))
    #expect(platformJSON.contains(#""os.features":["win32k"]"#))
}

@Test func newManifestDefaultsToOCIMediaTypes() throws {
    let config = Descriptor(mediaType: MediaType.ociConfig, digest: try Digest(parsing: "sha256:" + String(repeating: "1", count: 64)), size: 10)
    let manifest = Manifest(config: config, layers: [])
    #expect(manifest.schemaVersion == 2)
    #expect(manifest.mediaType == MediaType.ociManifest)
    #expect(Index(manifests: []).mediaType == MediaType.ociIndex)
}
