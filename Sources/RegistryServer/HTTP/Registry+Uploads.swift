import Foundation
import HTTPTypes
import Hummingbird
import OCI

extension Registry {
    /// `POST /v2/<name>/blobs/uploads/`: cross-repo mount (`?mount=&from=`, or from any repository when
    /// `from` is absent), monolithic upload (`?digest=` with the body), or a new upload session (202).
    func startUpload(_ request: Request, name: String, exchange: Exchange) async throws -> Response {
        let query = request.uri.queryParameters
        if let mount = query["mount"] {
            let digest = try Self.parseDigest(String(mount))
            if try await mountBlob(request, name: name, digest: digest, from: query["from"].map(String.init)) {
                return blobCreated(name: name, digest: digest)
            }
        }
        let session = try await uploads.start(repository: name)
        if let text = query["digest"] {
            do {
                let digest = try Self.parseDigest(String(text))
                try await receive(request, into: session, limit: contentLength(request), exchange: exchange)
                return try await commit(session, name: name, digest: digest)
            } catch {
                await uploads.remove(session)
                throw error
            }
        }
        await uploads.checkin(session)
        return uploadAccepted(name: name, session: session, status: .accepted)
    }

    /// Links a blob another repository (or, without `from`, any repository) holds; false when it cannot.
    private func mountBlob(_ request: Request, name: String, digest: Digest, from: String?) async throws -> Bool {
        guard storage.blobSize(digest) != nil else { return false }
        if let from {
            guard RepositoryName.isValid(from), storage.repositoryHasBlob(from, digest) else { return false }
            // The client must be allowed to read the source repository.
            do { _ = try await authorize(request, from, .pull) } catch { return false }
        }
        return try await lock.shared {
            guard storage.blobSize(digest) != nil else { return false }
            try storage.linkBlob(name, digest)
            return true
        }
    }

    /// `PATCH /v2/<name>/blobs/uploads/<uuid>`: appends a chunk; `Content-Range` must start at the
    /// current offset (else 416).
    func patchUpload(_ request: Request, name: String, id: String, exchange: Exchange) async throws -> Response {
        let session = try await uploads.checkout(id, repository: name)
        try await appendChunk(request, to: session, name: name, exchange: exchange)
        await uploads.checkin(session)
        return uploadAccepted(name: name, session: session, status: .accepted)
    }

    /// Appends the request body to a checked-out upload, within its `Content-Range`; on failure
    /// the session is checked in again before the error goes on.
    private func appendChunk(_ request: Request, to session: UploadSession, name: String, exchange: Exchange) async throws {
        do {
            let limit = try checkContentRange(request, session: session, name: name)
            try await receive(request, into: session, limit: limit ?? contentLength(request), exchange: exchange)
        } catch {
            await uploads.checkin(session)
            throw error
        }
    }

    /// Streams the request body onto the upload. The loop runs on the connection's event loop: each
    /// chunk is written and hashed by the thread that read it (a few tens of microseconds), with no
    /// hand-over to another thread per chunk.
    private func receive(_ request: Request, into session: UploadSession, limit: Int64?, exchange: Exchange) async throws {
        guard let channel = exchange.channel else {
            exchange.received += try await session.writer.append(request.body, to: session.dataPath, limit: limit)
            return
        }
        exchange.received += try await withTaskExecutorPreference(EventLoopExecutor(channel.eventLoop)) {
            try await session.writer.append(request.body, to: session.dataPath, limit: limit)
        }
    }

    /// `PUT /v2/<name>/blobs/uploads/<uuid>?digest=`: appends the last chunk (if any), verifies, commits.
    func finishUpload(_ request: Request, name: String, id: String, exchange: Exchange) async throws -> Response {
        guard let text = request.uri.queryParameters["digest"] else {
            throw RegistryError(.digestInvalid, "digest query parameter required")
        }
        let digest = try Self.parseDigest(String(text))
        let session = try await uploads.checkout(id, repository: name)
        try await appendChunk(request, to: session, name: name, exchange: exchange)
        return try await commit(session, name: name, digest: digest)
    }

    /// `GET /v2/<name>/blobs/uploads/<uuid>`: the upload's progress (204 with Range).
    func uploadStatus(name: String, id: String) async throws -> Response {
        let session = try await uploads.checkout(id, repository: name)
        await uploads.checkin(session)
        return uploadAccepted(name: name, session: session, status: .noContent)
    }

    /// `DELETE /v2/<name>/blobs/uploads/<uuid>`: cancels the upload and deletes its data.
    func cancelUpload(name: String, id: String) async throws -> Response {
        let session = try await uploads.checkout(id, repository: name)
        await uploads.remove(session)
        return Self.empty(.noContent)
    }

    /// Verifies the upload's digest and makes the blob visible (fsync, rename, link). A mismatch
    /// deletes the upload: nothing of it becomes visible.
    private func commit(_ session: UploadSession, name: String, digest: Digest) async throws -> Response {
        let computed: Digest
        do {
            computed = try session.writer.digest(of: session.dataPath, algorithm: digest.algorithm)
        } catch {
            await uploads.remove(session)
            throw error
        }
        guard computed == digest else {
            await uploads.remove(session)
            throw RegistryError(.digestInvalid, "provided digest did not match uploaded content",
                                detail: "expected \(digest), got \(computed)")
        }
        let path = session.dataPath
        // An empty upload may never have created its data file.
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { fdatasync(fd); close(fd) }
        do {
            try await lock.shared {
                try storage.commitBlob(from: path, digest: digest)
                try storage.linkBlob(name, digest)
            }
        } catch {
            await uploads.remove(session)
            throw error
        }
        await uploads.remove(session)
        return blobCreated(name: name, digest: digest)
    }

    /// Checks `Content-Range: a-b` against the upload's offset; returns the chunk's length when given.
    private func checkContentRange(_ request: Request, session: UploadSession, name: String) throws -> Int64? {
        guard let header = request.headers[.contentRange] else { return nil }
        var text = header.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("bytes ") { text = String(text.dropFirst(6)) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), end >= start else {
            throw RegistryError(.blobUploadInvalid, "invalid Content-Range", detail: header, status: .rangeNotSatisfiable,
                                headers: progressHeaders(name: name, session: session))
        }
        guard start == session.offset else {
            throw RegistryError(.blobUploadInvalid, "chunk out of order", detail: "expected offset \(session.offset), got \(start)",
                                status: .rangeNotSatisfiable, headers: progressHeaders(name: name, session: session))
        }
        let length = end - start + 1
        if let declared = contentLength(request), declared != length {
            throw RegistryError(.sizeInvalid, "Content-Length does not match Content-Range", detail: header)
        }
        return length
    }

    private func contentLength(_ request: Request) -> Int64? {
        request.headers[.contentLength].flatMap { Int64($0) }
    }

    /// Location, Range (docker's `0-<last byte>`, `0-0` when empty) and the upload's UUID.
    private func progressHeaders(name: String, session: UploadSession) -> HTTPFields {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(name)/blobs/uploads/\(session.id)"
        headers[.range] = "0-\(max(session.offset - 1, 0))"
        headers[.dockerUploadUUID] = session.id
        return headers
    }

    private func uploadAccepted(name: String, session: UploadSession, status: HTTPResponse.Status) -> Response {
        Self.empty(status, headers: progressHeaders(name: name, session: session))
    }

    private func blobCreated(name: String, digest: Digest) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v2/\(name)/blobs/\(digest.string)"
        headers[.dockerContentDigest] = digest.string
        return Self.empty(.created, headers: headers)
    }
}
