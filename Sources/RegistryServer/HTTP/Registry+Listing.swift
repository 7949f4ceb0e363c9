import Foundation
import HTTPTypes
import Hummingbird
import OCI

extension Registry {
    /// `GET /v2/<name>/tags/list?n=&last=`: sorted tags, paginated with a `Link` header.
    func tags(_ request: Request, name: String) throws -> Response {
        guard storage.repositoryExists(name) else {
            throw RegistryError(.nameUnknown, "repository name not known to registry", detail: name)
        }
        let (page, link) = try Self.paginate(storage.tags(name), request: request, path: "/v2/\(name)/tags/list")
        struct Body: Encodable { var name: String; var tags: [String] }
        return try Self.listResponse(Body(name: name, tags: page), link: link)
    }

    /// `GET /v2/_catalog?n=&last=`: sorted repository names, paginated with a `Link` header.
    func catalog(_ request: Request) throws -> Response {
        let (page, link) = try Self.paginate(storage.repositories(), request: request, path: "/v2/_catalog")
        struct Body: Encodable { var repositories: [String] }
        return try Self.listResponse(Body(repositories: page), link: link)
    }

    /// `GET /v2/<name>/referrers/<digest>?artifactType=`: an OCI index of the manifests whose subject
    /// is the digest (empty when there are none).
    func referrers(_ request: Request, name: String, digest text: String) throws -> Response {
        let digest = try Self.parseDigest(text)
        let filter = request.uri.queryParameters["artifactType"].map(String.init)
        var manifests = storage.referrers(name, subject: digest).compactMap { try? JSONDecoder().decode(Descriptor.self, from: $0) }
        var headers = HTTPFields()
        if let filter {
            manifests = manifests.filter { $0.artifactType == filter }
            headers[.ociFiltersApplied] = "artifactType"
        }
        struct Body: Encodable { var schemaVersion = 2; var mediaType = MediaType.ociIndex; var manifests: [Descriptor] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Self.json(try encoder.encode(Body(manifests: manifests)), headers: headers, contentType: MediaType.ociIndex)
    }

    /// Applies `n` and `last` to a sorted list; returns the page and the `Link` to the next one.
    static func paginate(_ all: [String], request: Request, path: String) throws -> ([String], String?) {
        let query = request.uri.queryParameters
        var items = all
        if let last = query["last"] { items = items.filter { $0 > String(last) } }
        guard let text = query["n"] else { return (items, nil) }
        guard let limit = Int(text), limit >= 0 else {
            throw RegistryError(.unsupported, "invalid n", detail: String(text), status: .badRequest)
        }
        let page = Array(items.prefix(limit))
        guard items.count > limit, let lastItem = page.last else { return (page, nil) }
        return (page, "<\(path)?n=\(limit)&last=\(lastItem)>; rel=\"next\"")
    }

    static func listResponse(_ body: some Encodable, link: String?) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var headers = HTTPFields()
        if let link { headers[.link] = link }
        return json(try encoder.encode(body), headers: headers)
    }
}
