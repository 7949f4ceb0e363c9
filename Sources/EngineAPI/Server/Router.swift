import Engine
import Foundation
import NIOHTTP1

/// Matches `METHOD /path` to a route. Patterns are segments; `{name}` takes one segment and
/// `{name*}` one or more (image names contain slashes: `/images/{name*}/json`).
public final class Router: Sendable {
    public typealias Handler = @Sendable (APIRequest) async throws -> APIResponse

    /// The API version this daemon speaks, and the oldest it accepts.
    public static let apiVersion = "1.47"
    public static let minimumAPIVersion = "1.24"
    public static let engineVersion = "0.4.0"

    private struct Route: Sendable {
        var method: HTTPMethod
        var segments: [String]
        var handler: Handler
    }
    private let routes: [Route]

    init(_ table: [(HTTPMethod, String, Handler)]) {
        routes = table.map { Route(method: $0.0, segments: $0.1.split(separator: "/").map(String.init), handler: $0.2) }
    }

    /// Runs the matching route; unknown paths are 404 with docker's message; errors become
    /// docker's `{"message"}` bodies.
    func handle(_ incoming: APIRequest) async -> APIResponse {
        Activity.touch()
        var request = incoming
        if let version = request.apiVersion {
            if Self.compare(version, Self.apiVersion) > 0 {
                return .error(EngineError(.invalidParameter, "client version \(version) is too new. Maximum supported API version is \(Self.apiVersion)"))
            }
            if Self.compare(version, Self.minimumAPIVersion) < 0 {
                return .error(EngineError(.invalidParameter, "client version \(version) is too old. Minimum supported API version is \(Self.minimumAPIVersion), please upgrade your client to a newer version"))
            }
        }
        let segments = request.path.split(separator: "/").map(String.init)
        for route in routes {
            guard let parameters = Self.match(route.segments, segments) else { continue }
            let method = request.method == .HEAD && route.method == .GET ? .GET : request.method
            guard route.method == method || (request.method == .HEAD && route.method == .HEAD) else { continue }
            request.parameters = parameters
            do {
                return try await route.handler(request)
            } catch let error as EngineError {
                return .error(error)
            } catch {
                return .error(EngineError(.system, "\(error)"))
            }
        }
        return .error(EngineError(.notFound, "page not found"))
    }

    static func match(_ pattern: [String], _ path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        var p = 0, s = 0
        while p < pattern.count {
            let part = pattern[p]
            if part.hasPrefix("{") && part.hasSuffix("*}") {
                let name = String(part.dropFirst().dropLast(2))
                let fixedAfter = pattern.count - p - 1
                let take = path.count - s - fixedAfter
                guard take >= 1 else { return nil }
                parameters[name] = path[s..<(s + take)].joined(separator: "/")
                s += take
            } else if part.hasPrefix("{") && part.hasSuffix("}") {
                guard s < path.count else { return nil }
                parameters[String(part.dropFirst().dropLast())] = path[s]
                s += 1
            } else {
                guard s < path.count, path[s] == part else { return nil }
                s += 1
            }
            p += 1
        }
        return s == path.count ? parameters : nil
    }

    /// Orders dotted versions numerically.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: ".").map { Int($0) ?? 0 }, y = b.split(separator: ".").map { Int($0) ?? 0 }
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : 0, r = i < y.count ? y[i] : 0
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }

    /// Splits the target into version, path and query.
    static func makeRequest(head: HTTPRequestHead, body: APIRequest.RequestBody) -> APIRequest {
        var target = head.uri
        var queryText = ""
        if let q = target.firstIndex(of: "?") {
            queryText = String(target[target.index(after: q)...])
            target = String(target[..<q])
        }
        var path = target.removingPercentEncoding ?? target
        var version: String?
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
        if let first = parts.first, first.hasPrefix("v"), first.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }), first.count > 1 {
            version = String(first.dropFirst())
            path = parts.count > 1 ? "/" + parts[1] : "/"
        }
        var query: [String: [String]] = [:]
        for pair in queryText.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let key = decode(kv[0])
            query[key, default: []].append(kv.count > 1 ? decode(kv[1]) : "")
        }
        return APIRequest(method: head.method, path: path, apiVersion: version, query: query, headers: head.headers,
                          body: body, arrival: .now())
    }
}
