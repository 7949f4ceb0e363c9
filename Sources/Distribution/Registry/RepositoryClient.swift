import AsyncHTTPClient
import Foundation
import ImageStore
import NIOCore
import NIOHTTP1
import OCI

/// A manifest or index as a registry served it: its exact bytes, content type and digest.
public struct FetchedManifest: Sendable, Equatable {
    /// The body, byte for byte (its digest is the manifest's identity).
    public var bytes: [UInt8]
    /// The media type it was served as (or its own `mediaType`).
    public var mediaType: String
    /// The digest of `bytes`, checked against the digest asked for.
    public var digest: Digest
    /// The decoded document.
    public var document: ManifestOrIndex

    /// The descriptor of this manifest.
    public var descriptor: Descriptor { Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count)) }
}

/// The registry API for one repository: manifests, blobs and uploads, over a `RegistrySession`.
public struct RepositoryClient: Sendable {
    /// The authenticated session (endpoint, credentials, scopes).
    public var session: RegistrySession
    /// The repository path in the registry (`library/busybox`).
    public let path: String

    /// A client for repository `path` over `session`.
    public init(session: RegistrySession, path: String) {
        self.session = session
        self.path = path
    }

    /// The media types a manifest GET accepts.
    public static let manifestAccept = [
        MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest,
    ]

    /// Largest manifest read (4 MiB, as the distribution spec recommends).
    static let manifestLimit = 4 << 20

    // MARK: Manifests

    /// `GET /v2/<path>/manifests/<reference>` (a tag or digest). A digest reference is verified
    /// against the bytes; `familiar` names the image in errors.
    public func manifest(_ reference: String, familiar: String) async throws(RegistryError) -> FetchedManifest {
        let target = "/v2/\(path)/manifests/\(reference)"
        let response = try await session.send(.GET, target, headers: Self.manifestAccept.map { ("Accept", $0) })
        let url = session.endpoint.baseURL + target
        guard response.status == .ok else { throw await Self.manifestFailure(response, url: url, familiar: familiar) }
        let bytes: [UInt8]
        do {
            bytes = Array(try await response.body.collect(upTo: Self.manifestLimit).readableBytesView)
        } catch {
            throw RegistryError.invalidManifest(reference: familiar, reason: "reading it failed: \(RegistrySession.describe(error))")
        }
        let expected = try? Digest(parsing: reference)
        let digest = Digester.digest(of: bytes, algorithm: expected?.algorithm ?? .sha256)
        if let expected, expected != digest { throw RegistryError.digestMismatch(digest: expected, actual: digest) }
        let served = response.headers.first(name: "Content-Type")
        let document: ManifestOrIndex
        do {
            document = try ManifestOrIndex.decode(data: Data(bytes), mediaType: served)
        } catch {
            throw RegistryError.invalidManifest(reference: familiar, reason: error.description)
        }
        var mediaType = served.map(MediaType.base) ?? ""
        if !MediaType.isManifest(mediaType) && !MediaType.isIndex(mediaType) {
            mediaType = document.mediaType.map(MediaType.base) ?? document.ociMediaType
        }
        return FetchedManifest(bytes: bytes, mediaType: mediaType, digest: digest, document: document)
    }

    /// docker's not-found wording for a failed manifest GET.
    static func manifestFailure(_ response: HTTPClientResponse, url: String, familiar: String) async -> RegistryError {
        let failure = await RegistrySession.failure(response, method: "GET", url: url)
        guard case .unexpectedStatus(_, _, _, let entries, _) = failure, let first = entries.first else {
            if response.status == .notFound {
                return .manifestUnknown(reference: familiar, entry: RegistryErrorEntry(code: "MANIFEST_UNKNOWN", message: "manifest unknown"))
            }
            return failure
        }
        let name = familiar.split(separator: "@").first.map { String($0.split(separator: ":").first ?? $0) } ?? familiar
        switch first.code {
        case "MANIFEST_UNKNOWN": return .manifestUnknown(reference: familiar, entry: first)
        case "NAME_UNKNOWN": return .repositoryUnknown(name: Self.familiarRepository(familiar, fallback: name), entry: first)
        case "DENIED": return .pullDenied(name: Self.familiarRepository(familiar, fallback: name), entry: first)
        default: return failure
        }
    }

    /// The repository part of a familiar reference (`localhost:5000/a:1` → `localhost:5000/a`).
    static func familiarRepository(_ familiar: String, fallback: String) -> String {
        var text = familiar
        if let at = text.firstIndex(of: "@") { text = String(text[..<at]) }
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("/") { text = String(text[..<colon]) }
        return text.isEmpty ? fallback : text
    }

    /// `PUT /v2/<path>/manifests/<reference>` of `bytes` as `mediaType`; returns the digest the registry reports.
    @discardableResult
    public func putManifest(_ bytes: [UInt8], mediaType: String, reference: String) async throws(RegistryError) -> Digest {
        let target = "/v2/\(path)/manifests/\(reference)"
        let response = try await session.send(.PUT, target, headers: [("Content-Type", mediaType)]) {
            .bytes(ByteBuffer(bytes: bytes))
        }
        guard response.status == .created || response.status == .ok || response.status == .accepted else {
            throw await RegistrySession.failure(response, method: "PUT", url: session.endpoint.baseURL + target)
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        let computed = Digester.digest(of: bytes)
        return response.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) } ?? computed
    }

    // MARK: Blobs

    /// `HEAD /v2/<path>/blobs/<digest>`: true when the repository has the blob.
    public func blobExists(_ digest: Digest) async throws(RegistryError) -> Bool {
        let target = "/v2/\(path)/blobs/\(digest)"
        let response = try await session.send(.HEAD, target)
        _ = try? await response.body.collect(upTo: 1 << 16)
        switch response.status.code {
        case 200: return true
        case 404: return false
        default: throw RegistryError.unexpectedStatus(method: "HEAD", url: session.endpoint.baseURL + target,
                                                      status: Int(response.status.code), entries: [], body: "")
        }
    }

    /// Small blob (a config) in memory, verified against `descriptor`.
    public func blobBytes(_ descriptor: Descriptor, limit: Int = 16 << 20) async throws(RegistryError) -> [UInt8] {
        let target = "/v2/\(path)/blobs/\(descriptor.digest)"
        let response = try await session.send(.GET, target)
        guard response.status == .ok else {
            throw await RegistrySession.failure(response, method: "GET", url: session.endpoint.baseURL + target)
        }
        let bytes: [UInt8]
        do {
            bytes = Array(try await response.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw RegistryError.unreachable(url: session.endpoint.baseURL + target, reason: RegistrySession.describe(error))
        }
        let actual = Digester.digest(of: bytes, algorithm: descriptor.digest.algorithm)
        guard actual == descriptor.digest else { throw RegistryError.digestMismatch(digest: descriptor.digest, actual: actual) }
        guard Int64(bytes.count) == descriptor.size else {
            throw RegistryError.sizeMismatch(digest: descriptor.digest, expected: descriptor.size, actual: Int64(bytes.count))
        }
        return bytes
    }

    /// Streams blob `descriptor` into `content`: hashed while written to an ingest file and made
    /// visible only when digest and size match. `progress` gets the byte count so far; `verifying`
    /// is called once the last byte arrived. A mismatch leaves nothing and names the digest.
    public func fetchBlob(_ descriptor: Descriptor, into content: ContentStore,
                          progress: @escaping @Sendable (Int64) -> Void,
                          verifying: @escaping @Sendable () -> Void) async throws -> ContentInfo {
        let target = "/v2/\(path)/blobs/\(descriptor.digest)"
        let response = try await session.send(.GET, target)
        guard response.status == .ok else {
            throw await RegistrySession.failure(response, method: "GET", url: session.endpoint.baseURL + target)
        }
        let body = CountingBody(body: response.body, onBytes: progress, onEnd: verifying)
        do {
            return try await content.ingest(expected: descriptor.digest, expectedSize: descriptor.size, from: body)
        } catch let error as ContentError {
            switch error {
            case .digestMismatch(let expected, let actual): throw RegistryError.digestMismatch(digest: expected, actual: actual)
            case .sizeMismatch(_, let expected, let actual):
                throw RegistryError.sizeMismatch(digest: descriptor.digest, expected: expected, actual: actual)
            default: throw error
            }
        }
    }

    // MARK: Uploads

    /// How an upload began: the blob was mounted from another repository, or an upload is open at `location`.
    public enum UploadStart: Sendable, Equatable {
        /// The registry linked the blob from the source repository; nothing to send.
        case mounted
        /// An upload session to `PUT` the bytes to.
        case location(String)
    }

    /// `POST /v2/<path>/blobs/uploads/`, with `?mount=<digest>&from=<repository>` when a source is given.
    public func startUpload(mount digest: Digest? = nil, from source: String? = nil) async throws(RegistryError) -> UploadStart {
        var target = "/v2/\(path)/blobs/uploads/"
        var session = self.session
        if let digest, let source {
            target += "?mount=\(digest)&from=\(source)"
            session = session.adding(scope: RegistrySession.repositoryScope(source, actions: "pull"))
        }
        let response = try await session.send(.POST, target, headers: [("Content-Length", "0")])
        _ = try? await response.body.collect(upTo: 1 << 16)
        let url = session.endpoint.baseURL + target
        if response.status == .created, digest != nil { return .mounted }
        guard response.status == .accepted, let location = response.headers.first(name: "Location") else {
            throw RegistryError.unexpectedStatus(method: "POST", url: url, status: Int(response.status.code), entries: [], body: "")
        }
        return .location(absolute(location))
    }

    /// Sends blob `digest` (`size` bytes from `reader`) to upload `location` in one `PUT ?digest=`.
    public func upload(_ reader: ContentReader, to location: String, progress: @escaping @Sendable (Int64) -> Void) async throws(RegistryError) {
        let separator = location.contains("?") ? "&" : "?"
        let url = location + separator + "digest=" + reader.digest.string
        let size = reader.size
        let response = try await session.send(.PUT, url, headers: [("Content-Type", "application/octet-stream"),
                                                                  ("Content-Length", String(size))]) {
            .stream(ReaderBody(reader: reader, onBytes: progress), length: .known(size))
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        guard response.status == .created else {
            throw RegistryError.unexpectedStatus(method: "PUT", url: location, status: Int(response.status.code), entries: [], body: "")
        }
    }

    /// `location` made absolute against the endpoint.
    func absolute(_ location: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        return session.endpoint.baseURL + (location.hasPrefix("/") ? location : "/" + location)
    }
}

/// A response body as chunks of bytes, counting them as they pass.
struct CountingBody: AsyncSequence {
    typealias Element = [UInt8]
    let body: HTTPClientResponse.Body
    let onBytes: @Sendable (Int64) -> Void
    let onEnd: @Sendable () -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        var inner: HTTPClientResponse.Body.AsyncIterator
        let onBytes: @Sendable (Int64) -> Void
        let onEnd: @Sendable () -> Void
        var total: Int64 = 0

        mutating func next() async throws -> [UInt8]? {
            guard let buffer = try await inner.next() else {
                onEnd()
                return nil
            }
            total += Int64(buffer.readableBytes)
            onBytes(total)
            return Array(buffer.readableBytesView)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inner: body.makeAsyncIterator(), onBytes: onBytes, onEnd: onEnd)
    }
}

/// A stored blob read in 1 MiB chunks as an upload body, counting bytes sent.
struct ReaderBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let reader: ContentReader
    let onBytes: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: ContentReader
        let onBytes: @Sendable (Int64) -> Void
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            let chunk = try reader.read(at: offset, count: 1 << 20)
            if chunk.isEmpty { return nil }
            offset += Int64(chunk.count)
            onBytes(offset)
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader, onBytes: onBytes) }
}
