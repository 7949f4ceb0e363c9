import DockerAPI
import Foundation

/// A typed client of the Docker Engine API as berthd (or dockerd) serves it.
///
/// Create one with `connect(to:)`, which pings the daemon and settles the API
/// version: ours (1.47) or the server's if lower. Every call opens its own
/// connection; all calls block.
public struct BerthClient: Sendable {
    /// The newest API version this client speaks.
    public static let maxAPIVersion = "1.47"

    /// Where the daemon listens.
    public let address: DaemonAddress
    /// The negotiated API version, used as the path prefix `/v<version>`.
    public let apiVersion: String

    /// Pings the daemon and negotiates the API version.
    public static func connect(to address: DaemonAddress) throws -> BerthClient {
        let request = HTTPRequest(method: "GET", target: "/_ping")
        let response = try UnixHTTPConnection(address: address, request: request).response()
        _ = try? response.body.readAll()
        var version = maxAPIVersion
        if let server = response.head.header("api-version"), compareVersions(server, version) < 0 {
            version = server
        }
        return BerthClient(address: address, apiVersion: version)
    }

    public init(address: DaemonAddress, apiVersion: String = BerthClient.maxAPIVersion) {
        self.address = address; self.apiVersion = apiVersion
    }

    /// `/v1.47/path?query`.
    public func target(_ path: String, _ query: [(String, String?)] = []) -> String {
        buildTarget("/v\(apiVersion)" + path, query)
    }

    // MARK: Requests

    /// Sends a request and returns the response if its status is 2xx; otherwise
    /// throws `ClientError.daemon` with the JSON `message` of the body.
    public func send(_ method: String, _ path: String, query: [(String, String?)] = [],
                     body: HTTPRequest.Body = .none, headers: [(String, String)] = []) throws -> HTTPResponse {
        let request = HTTPRequest(method: method, target: target(path, query), headers: headers, body: body)
        let response = try UnixHTTPConnection(address: address, request: request).response()
        try Self.check(response)
        return response
    }

    /// Sends a JSON body.
    public func send<Body: Encodable>(_ method: String, _ path: String, query: [(String, String?)] = [],
                                      json: Body) throws -> HTTPResponse {
        let data = try JSONEncoder().encode(json)
        return try send(method, path, query: query, body: .bytes(Array(data)), headers: [("Content-Type", "application/json")])
    }

    /// Sends a request and decodes the JSON answer.
    public func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String,
                                     query: [(String, String?)] = [], body: HTTPRequest.Body = .none) throws -> T {
        let response = try send(method, path, query: query, body: body,
                                headers: body.isNone ? [] : [("Content-Type", "application/json")])
        return try Self.decodeBody(type, try response.body.readAll(), what: "\(method) \(path) response")
    }

    /// Sends a request and discards the answer.
    public func perform(_ method: String, _ path: String, query: [(String, String?)] = []) throws {
        let response = try send(method, path, query: query)
        _ = try response.body.readAll()
    }

    /// Sends a request and returns the raw JSON body (for `inspect`).
    public func raw(_ method: String, _ path: String, query: [(String, String?)] = []) throws -> [UInt8] {
        try send(method, path, query: query).body.readAll()
    }

    /// Upgrades the connection to a raw duplex stream (attach, exec start).
    /// Accepts `101 Switching Protocols`, and `200` from daemons that do not upgrade.
    public func hijack(_ path: String, query: [(String, String?)] = [], json: Data? = nil) throws -> HijackedStream {
        var headers = [("Connection", "Upgrade"), ("Upgrade", "tcp")]
        var body = HTTPRequest.Body.none
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = .bytes(Array(json))
        }
        let request = HTTPRequest(method: "POST", target: target(path, query), headers: headers, body: body)
        let connection = try UnixHTTPConnection(address: address, request: request)
        let head = try HTTPResponseHead.read(from: connection.reader)
        guard head.status == 101 || head.status == 200 else {
            let body = try ResponseBody(reader: connection.reader, head: head, method: "POST")
            throw Self.error(status: head.status, body: (try? body.readAll()) ?? [])
        }
        return HijackedStream(connection: connection, head: head)
    }

    // MARK: Errors and decoding

    static func check(_ response: HTTPResponse) throws {
        guard !(200..<300).contains(response.status) else { return }
        throw error(status: response.status, body: (try? response.body.readAll()) ?? [])
    }

    static func error(status: Int, body: [UInt8]) -> ClientError {
        if let decoded = try? JSONDecoder().decode(APIErrorResponse.self, from: Data(body)) {
            return .daemon(status: status, message: decoded.message)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: " \n\r\t")
        return .daemon(status: status, message: text.isEmpty ? "HTTP status \(status)" : text)
    }

    /// Decodes a JSON body, naming what could not be decoded.
    public static func decodeBody<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw ClientError.decoding(what, underlying: "\(error)")
        }
    }
}

extension HTTPRequest.Body {
    var isNone: Bool { if case .none = self { return true } else { return false } }
}

/// Compares dotted versions numerically (`1.9` < `1.10`).
public func compareVersions(_ a: String, _ b: String) -> Int {
    let x = a.split(separator: ".").map { Int($0) ?? 0 }
    let y = b.split(separator: ".").map { Int($0) ?? 0 }
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? x[i] : 0, r = i < y.count ? y[i] : 0
        if l != r { return l < r ? -1 : 1 }
    }
    return 0
}

/// Docker's `filters` query value: `{"key":{"value":true}}`.
public func encodeFilters(_ filters: [(String, String)]) -> String? {
    guard !filters.isEmpty else { return nil }
    var map: [String: [String: Bool]] = [:]
    for (key, value) in filters { map[key, default: [:]][value] = true }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(map)).map { String(decoding: $0, as: UTF8.self) }
}
