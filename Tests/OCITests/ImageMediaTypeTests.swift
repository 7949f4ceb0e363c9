import Testing

@testable import OCI

@Test func mediaTypesAreClassifiedAcrossOCIAndDocker() {
    #expect(MediaType.isManifest(MediaType.ociManifest))
    #expect(MediaType.isManifest(MediaType.dockerManifest))
    #expect(!MediaType.isManifest(MediaType.ociIndex))
    #expect(MediaType.isIndex(MediaType.ociIndex))
    #expect(MediaType.isIndex(MediaType.dockerManifestList))
    #expect(MediaType.isIndex("application/vnd.oci.image.index.v1+json; charset=utf-8"))
    #expect(MediaType.isConfig(MediaType.dockerConfig))
    #expect(MediaType.isSchema1(MediaType.dockerSchema1SignedManifest))
    #expect(!MediaType.isLayer(MediaType.ociConfig))
    #expect(!MediaType.isLayer(MediaType.ociEmptyJSON))
    #expect(MediaType.isLayer("application/vnd.oci.image.layer.v1.tar+gzip+encrypted"))
    #expect(MediaType.base(" Application/JSON ; charset=utf-8") == "application/json")
}

@Test func layerCompressionFollowsTheMediaType() {
    let cases: [(String, LayerCompression?)] = [
        (MediaType.ociLayer, LayerCompression.none),
        (MediaType.ociLayerGzip, .gzip),
        (MediaType.ociLayerZstd, .zstd),
        (MediaType.ociLayerNondistributable, LayerCompression.none),
        (MediaType.ociLayerNondistributableGzip, .gzip),
        (MediaType.ociLayerNondistributableZstd, .zstd),
        (MediaType.dockerLayer, LayerCompression.none),
        (MediaType.dockerLayerGzip, .gzip),
        (MediaType.dockerLayerZstd, .zstd),
        (MediaType.dockerForeignLayer, LayerCompression.none),
        (MediaType.dockerForeignLayerGzip, .gzip),
        ("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", nil),
        (MediaType.ociConfig, nil),
        (MediaType.dockerPluginConfig, nil),
    ]
    for (type, compression) in cases {
        #expect(MediaType.layerCompression(type) == compression, "\(type)")
    }
}

@Test func dockerAndOCIMediaTypesMapBothWays() {
    let pairs = [
        (MediaType.dockerManifest, MediaType.ociManifest),
        (MediaType.dockerManifestList, MediaType.ociIndex),
        (MediaType.dockerConfig, MediaType.ociConfig),
        (MediaType.dockerLayerGzip, MediaType.ociLayerGzip),
        (MediaType.dockerLayer, MediaType.ociLayer),
        (MediaType.dockerForeignLayerGzip, MediaType.ociLayerNondistributableGzip),
    ]
    for (docker, oci) in pairs {
        #expect(MediaType.ociEquivalent(docker) == oci)
        #expect(MediaType.dockerEquivalent(oci) == docker)
    }
    #expect(MediaType.ociEquivalent("application/vnd.example+json") == "application/vnd.example+json")
    #expect(MediaType.ociEmptyJSON == "application/vnd.oci.empty.v1+json")
    #expect(MediaType.ociLayoutHeader == "application/vnd.oci.layout.header.v1+json")
}
