import DockerAPI
import Foundation

/// Berth's incremental build-context transfer (docs/builder.md); dockerd answers 404.
extension BerthClient {
    /// `POST /build/contexts/{key}/sync`: which files of `listing` the daemon's copy lacks.
    public func syncBuildContext(key: String, listing: BuildContextListing) throws -> BuildContextNeeds {
        let response = try send("POST", "/build/contexts/\(key)/sync", json: listing)
        return try Self.decodeBody(BuildContextNeeds.self, try response.body.readAll(), what: "build context sync")
    }

    /// `POST /build/contexts/{key}/build`: the upload header, then `files` (those `upload.sent`
    /// names, in that order); the answer streams docker's JSON messages as `POST /build` does.
    /// A 409 means the daemon's copy changed since the sync: sync again.
    public func build(contextKey key: String, upload: BuildContextUpload, files: [HTTPRequest.FilePart],
                      query: [(String, String?)]) throws -> HTTPResponse {
        let head = Array(try JSONEncoder().encode(upload)) + [0x0a]
        return try send("POST", "/build/contexts/\(key)/build", query: query, body: .parts(head: head, files: files),
                        headers: [("Content-Type", "application/vnd.berth.context-upload")])
    }
}
