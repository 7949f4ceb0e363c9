import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OCI

extension Registry {
    /// `GET`/`HEAD /v2/<name>/blobs/<digest>`, with single-range `Range: bytes=a-b` (206, or 416).
    ///
    /// The body is the file's bytes (``BlobBody``): sent with sendfile on plain connections.
    func getBlob(_ request: Request, name: String, digest text: String, head: Bool, channel: (any Channel)?) throws -> Response {
        let digest = try Self.parseDigest(text)
        guard storage.repositoryHasBlob(name, digest), let size = storage.blobSize(digest) else {
            throw RegistryError(.blobUnknown, "blob unknown to registry", detail: digest.string)
        }
        var headers = HTTPFields()
        headers[.dockerContentDigest] = digest.string
        headers[.contentType] = "application/octet-stream"
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = "\"\(digest.string)\""
        if size == 0 {
            headers[.contentLength] = "0"
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        var range: ClosedRange<Int64> = 0...(size - 1)
        var status: HTTPResponse.Status = .ok
        if let header = request.headers[.range] {
            guard let requested = Self.parseRange(header, size: size) else {
                var failure = HTTPFields()
                failure[.contentRange] = "bytes */\(size)"
                throw RegistryError(.blobUnknown, "requested range not satisfiable", detail: header,
                                    status: .rangeNotSatisfiable, headers: failure)
            }
            range = requested
            status = .partialContent
            headers[.contentRange] = "bytes \(requested.lowerBound)-\(requested.upperBound)/\(size)"
        }
        let length = range.upperBound - range.lowerBound + 1
        headers[.contentLength] = String(length)
        if head { return Response(status: status, headers: headers, body: ResponseBody()) }
        let body = BlobBody.make(path: storage.blobPath(digest), offset: range.lowerBound, length: length, channel: channel)
        return Response(status: status, headers: headers, body: body)
    }

    /// `DELETE /v2/<name>/blobs/<digest>`: removes the repository's link (gc frees the bytes).
    func deleteBlob(name: String, digest text: String) throws -> Response {
        let digest = try Self.parseDigest(text)
        guard storage.unlinkBlob(name, digest) else {
            throw RegistryError(.blobUnknown, "blob unknown to registry", detail: digest.string)
        }
        var headers = HTTPFields()
        headers[.dockerContentDigest] = digest.string
        return Self.empty(.accepted, headers: headers)
    }

    /// Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against a size; nil when unsatisfiable or malformed.
    static func parseRange(_ header: String, size: Int64) -> ClosedRange<Int64>? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), !text.contains(","), size > 0 else { return nil }
        let spec = text.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let lower = Int64(first), lower < size else { return nil }
        if last.isEmpty { return lower...(size - 1) }
        guard let upper = Int64(last), upper >= lower else { return nil }
        return lower...min(upper, size - 1)
    }
}
