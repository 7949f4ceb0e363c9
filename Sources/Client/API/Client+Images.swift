import DockerAPI
import Foundation

extension BerthClient {
    static func imagePath(_ name: String) -> String { "/images/" + percentEncode(name) }

    /// `GET /images/json`.
    public func listImages(all: Bool = false, digests: Bool = false, filters: [(String, String)] = []) throws -> [ImageSummary] {
        try decode([ImageSummary].self, "GET", "/images/json", query: [
            ("all", all ? "1" : nil), ("digests", digests ? "1" : nil), ("filters", encodeFilters(filters)),
        ])
    }

    /// `GET /images/{name}/json` as raw JSON.
    public func inspectImageRaw(_ name: String) throws -> [UInt8] {
        try raw("GET", Self.imagePath(name) + "/json")
    }

    /// `GET /images/{name}/json`.
    public func inspectImage(_ name: String) throws -> ImageInspect {
        try Self.decodeBody(ImageInspect.self, try inspectImageRaw(name), what: "image inspect")
    }

    /// `GET /images/{name}/history`.
    public func history(_ name: String) throws -> [HistoryItem] {
        try decode([HistoryItem].self, "GET", Self.imagePath(name) + "/history")
    }

    /// `DELETE /images/{name}`.
    public func removeImage(_ name: String, force: Bool = false, noPrune: Bool = false) throws -> [ImageDeleteResponseItem] {
        try decode([ImageDeleteResponseItem].self, "DELETE", Self.imagePath(name),
                   query: [("force", force ? "1" : nil), ("noprune", noPrune ? "1" : nil)])
    }

    /// `POST /images/{name}/tag`.
    public func tagImage(_ name: String, repo: String, tag: String?) throws {
        try perform("POST", Self.imagePath(name) + "/tag", query: [("repo", repo), ("tag", tag)])
    }

    /// `POST /images/create?fromImage=`: a pull, answered with a JSON-message stream.
    public func pullImage(_ image: String, tag: String?, platform: String? = nil) throws -> HTTPResponse {
        try send("POST", "/images/create", query: [("fromImage", image), ("tag", tag), ("platform", platform)])
    }

    /// `POST /images/create?fromSrc=-`: imports a rootfs tarball read from `fd`.
    public func importImage(fd: Int32, repo: String?, tag: String?, message: String?, changes: [String],
                            platform: String? = nil) throws -> HTTPResponse {
        try send("POST", "/images/create", query: [
            ("fromSrc", "-"), ("repo", repo), ("tag", tag), ("message", message), ("platform", platform),
        ] + changes.map { ("changes", $0) }, body: .stream(fd: fd), headers: [("Content-Type", "application/x-tar")])
    }

    /// `POST /images/load`: a docker or OCI archive read from `fd`.
    public func loadImages(fd: Int32, quiet: Bool) throws -> HTTPResponse {
        try send("POST", "/images/load", query: [("quiet", quiet ? "1" : "0")],
                 body: .stream(fd: fd), headers: [("Content-Type", "application/x-tar")])
    }

    /// `GET /images/get?names=…`: a docker archive of the images.
    public func saveImages(_ names: [String]) throws -> HTTPResponse {
        try send("GET", "/images/get", query: names.map { ("names", $0) })
    }

    /// `POST /images/prune`.
    public func pruneImages(filters: [(String, String)] = []) throws -> ImagePruneResponse {
        try decode(ImagePruneResponse.self, "POST", "/images/prune", query: [("filters", encodeFilters(filters))])
    }
}
