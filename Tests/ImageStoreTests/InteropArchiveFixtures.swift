// Hand-made docker-archives, laid out the way dockerd writes them: the legacy layout
// (`<config-hex>.json`, `<id>/layer.tar`, manifest.json, repositories) and Docker ≥ 25's
// (an OCI layout plus manifest.json and repositories).
import Foundation
import ImageStore
import OCI

/// What a fixture archive holds.
struct XferFixture {
    /// The archive (a tar).
    var archive: String
    /// The config digest.
    var config: Digest
    /// The layers' diff IDs.
    var diffIDs: [Digest]
}

/// A legacy docker-archive with `layerFiles` (tar paths; identical ones are written once and
/// linked, as docker does), named `repoTag`. `diffIDs` overrides the config's diff IDs and
/// `configName` the config member's name.
func xferLegacyArchive(_ dir: String, layerFiles: [String], repoTag: String, diffIDs: [Digest]? = nil, configName: String? = nil) throws -> XferFixture {
    let staging = dir + "/legacy"
    var layers: [String] = []
    var computed: [Digest] = []
    var seen: [Digest: String] = [:]
    for (index, file) in layerFiles.enumerated() {
        let uncompressed = dir + "/layer\(index).raw"
        try layerShell("gzip -dc -f '\(file)' > '\(uncompressed)' 2>/dev/null || cp '\(file)' '\(uncompressed)'")
        let diffID = try xferDigest(ofFile: uncompressed)
        computed.append(diffID)
        let id = String(repeating: String(index), count: 8) + diffID.encoded.prefix(56)
        layers.append(id + "/layer.tar")
        try FileManager.default.createDirectory(atPath: staging + "/" + id, withIntermediateDirectories: true)
        try xferWrite(staging + "/" + id + "/VERSION", Array("1.0".utf8))
        if let first = seen[diffID] {
            try FileManager.default.createSymbolicLink(atPath: staging + "/" + id + "/layer.tar", withDestinationPath: "../" + first)
        } else {
            try FileManager.default.copyItem(atPath: file, toPath: staging + "/" + id + "/layer.tar")
            seen[diffID] = id + "/layer.tar"
        }
    }
    let config = try xferConfig(diffIDs: diffIDs ?? computed)
    let configDigest = Digester.digest(of: config)
    let configMember = configName ?? configDigest.encoded + ".json"
    try xferWrite(staging + "/" + configMember, config)
    let entry = DockerArchiveManifestEntry(config: configMember, repoTags: [repoTag], layers: layers)
    try xferWrite(staging + "/manifest.json", Array(try DockerArchiveManifestEntry.encodeList([entry])))
    let repo = String(repoTag.split(separator: ":")[0]), tag = String(repoTag.split(separator: ":")[1])
    try xferWrite(staging + "/repositories", Array(try JSONEncoder().encode([repo: [tag: String(layers.last!.prefix(64))]])))
    let archive = dir + "/legacy.tar"
    try layerShell("tar -C '\(staging)' -cf '\(archive)' .")
    return XferFixture(archive: archive, config: configDigest, diffIDs: diffIDs ?? computed)
}

/// A docker-archive as Docker ≥ 25 writes it: uncompressed layer blobs, an OCI manifest, index.json
/// with the containerd name annotation, plus manifest.json and repositories. `dropBlob` leaves
/// one blob out; `asDirectory` returns the staging directory instead of a tar.
func xferDocker25Archive(_ dir: String, files: [String: String], name: String, dropBlob: Bool = false, asDirectory: Bool = false) throws -> XferFixture {
    let staging = dir + "/docker25"
    let layerFile = try xferLayer(dir, "d25-layer.tar", files: files)
    let layerBytes = Array(try Data(contentsOf: URL(fileURLWithPath: layerFile)))
    let layerDigest = dropBlob ? Digester.digest(of: layerBytes) : try xferWriteBlob(staging, layerBytes)
    let config = try xferConfig(diffIDs: [layerDigest], cmd: ["/bin/true"])
    let configDigest = try xferWriteBlob(staging, config)
    let manifest = Manifest(
        config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)),
        layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layerDigest, size: Int64(layerBytes.count))])
    let manifestBytes = Array(try manifest.encoded())
    let manifestDigest = try xferWriteBlob(staging, manifestBytes)
    let reference = try ImageReference(parsing: name)
    let index = Index(manifests: [Descriptor(
        mediaType: MediaType.ociManifest, digest: manifestDigest, size: Int64(manifestBytes.count),
        annotations: [ImageAnnotation.containerdImageName: reference.string, ImageAnnotation.refName: reference.tag ?? "latest"])])
    try xferWrite(staging + "/index.json", Array(try index.encoded()))
    try xferWrite(staging + "/oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
    let entry = DockerArchiveManifestEntry(
        config: "blobs/sha256/" + configDigest.encoded, repoTags: [reference.familiarString],
        layers: ["blobs/sha256/" + layerDigest.encoded])
    try xferWrite(staging + "/manifest.json", Array(try DockerArchiveManifestEntry.encodeList([entry])))
    try xferWrite(staging + "/repositories", Array(try JSONEncoder().encode([reference.familiarName: [reference.tag ?? "latest": layerDigest.encoded]])))
    if asDirectory { return XferFixture(archive: staging, config: configDigest, diffIDs: [layerDigest]) }
    let archive = dir + "/docker25.tar"
    try layerShell("tar -C '\(staging)' -cf '\(archive)' .")
    return XferFixture(archive: archive, config: configDigest, diffIDs: [layerDigest])
}
