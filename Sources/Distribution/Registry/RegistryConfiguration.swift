import Foundation
import OCI

/// Which registries may be reached over plain HTTP and which mirrors stand in for Docker Hub
/// (berthd's `--insecure-registry` and `--registry-mirror`).
public struct RegistryConfiguration: Sendable, Equatable {
    /// `host[:port]` entries or IPv4 CIDRs (`10.0.0.0/8`) that may use plain HTTP or unverified TLS.
    /// Loopback registries (`localhost`, `127.0.0.0/8`, `::1`) always may, as with dockerd.
    public var insecureRegistries: [String]
    /// Mirror base URLs (`https://mirror.example`, `http://127.0.0.1:5001`) tried in order before
    /// Docker Hub for `docker.io` pulls.
    public var mirrors: [URL]

    /// Creates a configuration.
    public init(insecureRegistries: [String] = [], mirrors: [URL] = []) {
        self.insecureRegistries = insecureRegistries
        self.mirrors = mirrors
    }

    /// Parses `--registry-mirror` values: absolute http(s) URLs without a path beyond `/`.
    public static func parseMirror(_ text: String) throws(RegistryError) -> URL {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/" else {
            throw RegistryError.invalidConfiguration("invalid mirror \"\(text)\": it must be an http or https URL without a path")
        }
        return url
    }

    /// The host Docker Hub's API is served from.
    public static let dockerHubHost = "registry-1.docker.io"

    /// True when `domain` (`host[:port]`) may be reached without verified TLS.
    public func isInsecure(_ domain: String) -> Bool {
        let (host, _) = Self.splitHostPort(domain)
        if host == "localhost" || host == "::1" || host.hasPrefix("127.") { return true }
        for entry in insecureRegistries {
            let entry = Self.stripScheme(entry)
            if entry == domain || entry == host { return true }
            if entry.contains("/"), Self.cidr(entry, contains: host) { return true }
        }
        return false
    }

    /// The endpoints to try for `domain`, in order: mirrors then Docker Hub for `docker.io`
    /// (`pull` only: pushes never go to mirrors), else the registry itself.
    public func endpoints(for domain: String, forPush: Bool = false) -> [RegistryEndpoint] {
        if domain == ImageReference.defaultDomain {
            var list: [RegistryEndpoint] = []
            if !forPush {
                for mirror in mirrors {
                    let host = mirror.host.map { h in mirror.port.map { "\(h):\($0)" } ?? h } ?? ""
                    list.append(RegistryEndpoint(domain: domain, host: host, scheme: mirror.scheme?.lowercased() ?? "https",
                                                 isMirror: true, isInsecure: mirror.scheme?.lowercased() == "http" || isInsecure(host)))
                }
            }
            list.append(RegistryEndpoint(domain: domain, host: Self.dockerHubHost, scheme: "https", isMirror: false, isInsecure: false))
            return list
        }
        return [RegistryEndpoint(domain: domain, host: domain, scheme: "https", isMirror: false, isInsecure: isInsecure(domain))]
    }

    /// `host` and `port` of `host[:port]` or `[v6]:port`.
    static func splitHostPort(_ domain: String) -> (String, String?) {
        if domain.hasPrefix("[") {
            guard let close = domain.firstIndex(of: "]") else { return (domain, nil) }
            let host = String(domain[domain.index(after: domain.startIndex)..<close])
            let rest = domain[domain.index(after: close)...]
            return (host, rest.hasPrefix(":") ? String(rest.dropFirst()) : nil)
        }
        let parts = domain.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts.first ?? domain, parts.count > 1 ? parts[1] : nil)
    }

    private static func stripScheme(_ text: String) -> String {
        for prefix in ["http://", "https://"] where text.hasPrefix(prefix) { return String(text.dropFirst(prefix.count)) }
        return text
    }

    /// True when IPv4 literal `host` is inside `cidr` (`a.b.c.d/n`).
    static func cidr(_ cidr: String, contains host: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let network = ipv4(String(parts[0])), let address = ipv4(host) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return network & mask == address & mask
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}

/// One place to reach a registry: scheme and host, and whether it is a mirror or may skip TLS checks.
public struct RegistryEndpoint: Sendable, Equatable {
    /// The reference's domain this endpoint serves (`docker.io` for Hub and its mirrors).
    public var domain: String
    /// `host[:port]` to connect to.
    public var host: String
    /// `https`, or `http` for a mirror configured so or after an insecure registry fell back.
    public var scheme: String
    /// True for a `--registry-mirror`.
    public var isMirror: Bool
    /// True when plain HTTP and unverified TLS are allowed.
    public var isInsecure: Bool

    /// `scheme://host`.
    public var baseURL: String { "\(scheme)://\(host)" }

    /// The same endpoint over plain HTTP.
    public var plainHTTP: RegistryEndpoint {
        var copy = self
        copy.scheme = "http"
        return copy
    }
}
