import OCI

/// A request path of the distribution API, parsed.
enum Route: Equatable {
    /// `/v2/`
    case base
    /// `/v2/_catalog`
    case catalog
    /// `/token` (the built-in token endpoint)
    case token
    /// `/v2/<name>/tags/list`
    case tags(name: String)
    /// `/v2/<name>/manifests/<reference>`
    case manifest(name: String, reference: String)
    /// `/v2/<name>/blobs/<digest>`
    case blob(name: String, digest: String)
    /// `/v2/<name>/blobs/uploads/`
    case uploads(name: String)
    /// `/v2/<name>/blobs/uploads/<uuid>`
    case upload(name: String, id: String)
    /// `/v2/<name>/referrers/<digest>`
    case referrers(name: String, digest: String)

    /// Parses a path; nil for paths outside the API. Names are parsed from the end, so nested names
    /// (`a/b/c`) and names with components like `blobs` work.
    init?(path: String) {
        if path == "/v2" || path == "/v2/" { self = .base; return }
        if path == "/token" { self = .token; return }
        guard path.hasPrefix("/v2/") else { return nil }
        if path == "/v2/_catalog" { self = .catalog; return }
        var parts = path.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A trailing slash is only meaningful for the uploads endpoint.
        let trailingSlash = parts.last == ""
        if trailingSlash { parts.removeLast() }
        func name(dropping count: Int) -> String { parts.dropLast(count).joined(separator: "/") }
        let count = parts.count
        guard count >= 2 else { return nil }
        if count >= 3, parts[count - 2] == "blobs", parts[count - 1] == "uploads" {
            self = .uploads(name: name(dropping: 2))
        } else if count >= 4, parts[count - 3] == "blobs", parts[count - 2] == "uploads", !trailingSlash {
            self = .upload(name: name(dropping: 3), id: parts[count - 1])
        } else if trailingSlash {
            return nil
        } else if count >= 3, parts[count - 2] == "tags", parts[count - 1] == "list" {
            self = .tags(name: name(dropping: 2))
        } else if count >= 3, parts[count - 2] == "manifests" {
            self = .manifest(name: name(dropping: 2), reference: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "blobs" {
            self = .blob(name: name(dropping: 2), digest: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "referrers" {
            self = .referrers(name: name(dropping: 2), digest: parts[count - 1])
        } else {
            return nil
        }
    }

    /// The repository the route is about.
    var repository: String? {
        switch self {
        case .base, .catalog, .token: nil
        case .tags(let name), .manifest(let name, _), .blob(let name, _), .uploads(let name),
             .upload(let name, _), .referrers(let name, _): name
        }
    }
}
