import DockerAPI
import Foundation

/// Berth's incremental build-context transfer (docs/builder.md); dockerd answers 404.
extension BerthClient {
    /// `POST /build/contexts/{key}/sync`: which files of `listing` the daemon's copy lacks.
    public func syncBuildContext(key: String, listing: BuildContextListing) throws -> BuildContextNeeds {
        let response = try send("POST", "/build/contexts/\(key)/sync", json: listing)
        return try Self.decodeBody(BuildContextNeeds.self, try response.body.readAll(), what: "build context sync")
    }

    /// What `POST /build/contexts/{key}/build` answered.
    public enum ContextBuildAnswer {
        /// The build started: docker's JSON messages stream as from `POST /build`.
        case started(HTTPResponse)
        /// 409: the daemon's copy lacks these files, which the upload did not carry.
        case needs([String])
    }

    /// `POST /build/contexts/{key}/build`: the upload header, then `files` (those `upload.sent`
    /// names, in that order). `registryConfig` is the `X-Registry-Config` header.
    public func build(contextKey key: String, upload: BuildContextUpload, files: [HTTPRequest.FilePart],
                      query: [(String, String?)], registryConfig: String? = nil) throws -> ContextBuildAnswer {
        let head = Array(try JSONEncoder().encode(upload)) + [0x0a]
        let request = HTTPRequest(method: "POST", target: target("/build/contexts/\(key)/build", query),
                                  headers: [("Content-Type", "application/vnd.berth.context-upload")]
                                      + (registryConfig.map { [("X-Registry-Config", $0)] } ?? []),
                                  body: .parts(head: head, files: files))
        let response = try UnixHTTPConnection(address: address, request: request).response()
        if response.status == 409 {
            let body = try response.body.readAll()
            if let needs = try? JSONDecoder().decode(BuildContextNeeds.self, from: Data(body)) { return .needs(needs.need) }
            throw Self.error(status: 409, body: body)
        }
        try Self.check(response)
        return .started(response)
    }
}
