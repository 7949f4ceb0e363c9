import Foundation
import HTTPTypes
import Hummingbird
import OCI

extension Registry {
    /// The largest manifest accepted (the spec asks registries to take at least 4 MiB).
    static let manifestLimit = 4 << 20

    /// Resolves a tag or digest reference to a manifest the repository holds.
    func resolveManifest(name: String, reference: String) throws -> (Digest, String) {
        let digest: Digest
        if reference.contains(":") {
            digest = try Self.parseDigest(reference)
        } else {
            guard RepositoryName.isValidTag(reference) else {
                throw RegistryError(.manifestInvalid, "invalid tag", detail: reference, status: .badRequest)
            }
            guard let tagged = storage.tagDigest(name, reference) else {
                throw RegistryError(.manifestUnknown, "manifest unknown", detail: "\(name):\(reference)")
            }
            digest = tagged
        }
        guard let mediaType = storage.manifestMediaType(name, digest) else {
            throw RegistryError(.manifestUnknown, "manifest unknown", detail: "\(name)@\(digest)")
        }
        return (digest, mediaType)
    }

    /// `GET`/`HEAD /v2/<name>/manifests/<reference>`.
    func getManifest(name: String, reference: String, head: Bool) throws -> Response {
        let (digest, mediaType) = try resolveManifest(name: name, reference: reference)
        guard let data = storage.manifestData(digest) else {
            throw RegistryError(.manifestUnknown, "manifest unknown", detail: "\(name)@\(digest)")
        }
        var headers = HTTPFields()
        headers[.dockerContentDigest] = digest.string
        headers[.eTag] = "\"\(digest.string)\""
        return Self.json(data, headers: headers, contentType: mediaType, head: head)
    }

    /// `PUT /v2/<name>/manifests/<reference>`: validates the manifest and that every blob and child
    /// manifest it references is in the repository (MANIFEST_BLOB_UNKNOWN), stores it, tags it,
    /// records it as a referrer of its subject (answering with `OCI-Subject`).
    func putManifest(_ request: Request, name: String, reference: String, exchange: Exchange) async throws -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.manifestLimit)
        } catch {
            throw RegistryError(.sizeInvalid, "manifest too large", detail: "limit \(Self.manifestLimit) bytes", status: .contentTooLarge)
        }
        let data = Data(buffer.readableBytesView)
        exchange.received = Int64(data.count)
        let (body, mediaType) = try ManifestBody.parse(data, contentType: request.headers[.contentType])
        var tag: String?
        let digest: Digest
        if reference.contains(":") {
            let wanted = try Self.parseDigest(reference)
            digest = DigestingWriter.digest(of: data, algorithm: wanted.algorithm)
            guard digest == wanted else {
                throw RegistryError(.digestInvalid, "manifest digest does not match reference", detail: "expected \(wanted), got \(digest)")
            }
        } else {
            guard RepositoryName.isValidTag(reference) else { throw RegistryError(.manifestInvalid, "invalid tag", detail: reference) }
            tag = reference
            digest = DigestingWriter.digest(of: data, algorithm: .sha256)
        }
        try await lock.shared {
            for child in body.manifests ?? [] where storage.manifestMediaType(name, child.digest) == nil {
                throw RegistryError(.manifestBlobUnknown, "manifest references a manifest unknown to the repository",
                                    detail: child.digest.string)
            }
            for blob in body.blobReferences where !(storage.repositoryHasBlob(name, blob.digest) && storage.blobSize(blob.digest) != nil) {
                throw RegistryError(.manifestBlobUnknown, "blob unknown to registry", detail: blob.digest.string)
            }
            try storage.putManifest(name, digest: digest, data: data, mediaType: mediaType)
            if let subject = body.subject {
                let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count),
                                            annotations: body.annotations,
                                            artifactType: body.artifactType ?? (MediaType.isIndex(mediaType) ? nil : body.config?.mediaType))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                try storage.addReferrer(name, subject: subject.digest, descriptor: try encoder.encode(descriptor), manifest: digest)
            }
            if let tag { try storage.setTag(name, tag, digest) }
        }
        var headers = HTTPFields()
        headers[.location] = "/v2/\(name)/manifests/\(digest.string)"
        headers[.dockerContentDigest] = digest.string
        if let subject = body.subject { headers[.ociSubject] = subject.digest.string }
        return Self.empty(.created, headers: headers)
    }

    /// `DELETE /v2/<name>/manifests/<reference>`: a digest removes the manifest (and its tags and
    /// referrer entry); a tag removes only the tag.
    func deleteManifest(name: String, reference: String) throws -> Response {
        if !reference.contains(":") {
            guard RepositoryName.isValidTag(reference), storage.removeTag(name, reference) else {
                throw RegistryError(.manifestUnknown, "manifest unknown", detail: "\(name):\(reference)")
            }
            return Self.empty(.accepted)
        }
        let digest = try Self.parseDigest(reference)
        let subject = storage.manifestData(digest).flatMap { try? JSONDecoder().decode(ManifestBody.self, from: $0) }?.subject?.digest
        guard storage.removeManifest(name, digest, subject: subject) else {
            throw RegistryError(.manifestUnknown, "manifest unknown", detail: "\(name)@\(digest)")
        }
        return Self.empty(.accepted)
    }
}
