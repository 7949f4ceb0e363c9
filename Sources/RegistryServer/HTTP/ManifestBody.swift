import Foundation
import OCI

/// The fields of an image manifest or index the registry reads (any of the four media types).
struct ManifestBody: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var artifactType: String?
    var config: Descriptor?
    var layers: [Descriptor]?
    var manifests: [Descriptor]?
    var subject: Descriptor?
    var annotations: [String: String]?

    /// The media types the registry stores.
    static let accepted: Set<String> = [MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest, MediaType.dockerManifestList]

    /// Decodes a manifest and settles its media type from its `mediaType` field and the request's
    /// Content-Type (they must agree when both are present). MANIFEST_INVALID when neither works.
    static func parse(_ data: Data, contentType: String?) throws -> (ManifestBody, String) {
        let body: ManifestBody
        do {
            body = try JSONDecoder().decode(ManifestBody.self, from: data)
        } catch {
            throw RegistryError(.manifestInvalid, "manifest invalid", detail: "\(error)")
        }
        let header = contentType.map { MediaType.base($0) }
        var mediaType: String
        if let declared = body.mediaType {
            if let header, header != declared, accepted.contains(header) {
                throw RegistryError(.manifestInvalid, "mediaType does not match Content-Type", detail: "\(declared) vs \(header)")
            }
            mediaType = declared
        } else if let header, accepted.contains(header) {
            mediaType = header
        } else {
            mediaType = body.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest
        }
        guard accepted.contains(mediaType) else {
            throw RegistryError(.manifestInvalid, "unsupported manifest media type", detail: mediaType)
        }
        guard body.schemaVersion == 2 else {
            throw RegistryError(.manifestInvalid, "schemaVersion must be 2", detail: body.schemaVersion.map(String.init) ?? "missing")
        }
        if MediaType.isIndex(mediaType) {
            guard body.manifests != nil else { throw RegistryError(.manifestInvalid, "index without manifests") }
        } else {
            guard body.config != nil else { throw RegistryError(.manifestInvalid, "manifest without config") }
        }
        return (body, mediaType)
    }

    /// Blobs the manifest needs in the repository (foreign layers with URLs excluded).
    var blobReferences: [Descriptor] {
        var result: [Descriptor] = []
        if let config { result.append(config) }
        for layer in layers ?? [] where (layer.urls ?? []).isEmpty && !MediaType.isNondistributable(layer.mediaType) {
            result.append(layer)
        }
        return result
    }
}
