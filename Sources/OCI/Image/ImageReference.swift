/// An image reference, `domain/path[:tag][@digest]`, normalized as Docker does:
/// `busybox` is `docker.io/library/busybox:latest`, `user/app` is `docker.io/user/app:latest`.
///
/// Encodes and decodes as its normalized string.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible, Codable {
    /// Registry host with optional port: `docker.io`, `localhost:5000`, `[::1]:5000`.
    public let domain: String
    /// Repository path inside the registry: `library/busybox`, `user/app`.
    public let path: String
    /// Tag; `latest` when the parsed text had neither tag nor digest.
    public let tag: String?
    /// Digest, when the reference pins content.
    public let digest: Digest?

    /// Docker Hub's domain in normalized references.
    public static let defaultDomain = "docker.io"
    /// Docker Hub's legacy domain, normalized to `docker.io`.
    public static let legacyDefaultDomain = "index.docker.io"
    /// Namespace of Docker Hub's official images.
    public static let officialRepositoryPrefix = "library/"
    /// The tag a reference without tag or digest gets.
    public static let defaultTag = "latest"
    /// Longest allowed `name` (domain/path).
    public static let maximumNameLength = 255

    /// Parses and normalizes a reference the way `docker pull` does (see `ReferenceError` for the failures).
    /// A reference with neither tag nor digest gets the tag `latest`; one with both keeps both.
    public init(parsing text: String) throws(ReferenceError) {
        self = try ReferenceParser.parse(text)
    }

    /// Creates a reference from parts, validating each; no normalization and no default tag.
    public init(domain: String, path: String, tag: String? = nil, digest: Digest? = nil) throws(ReferenceError) {
        guard ReferenceParser.isValidDomain(domain), ReferenceParser.isValidPath(path) else {
            throw ReferenceError.invalidFormat
        }
        if let tag, !ReferenceParser.isValidTag(tag) { throw ReferenceError.invalidTag(tag) }
        guard domain.utf8.count + 1 + path.utf8.count <= Self.maximumNameLength else {
            throw ReferenceError.nameTooLong
        }
        self.init(validDomain: domain, path: path, tag: tag, digest: digest)
    }

    /// Creates a reference from parts already validated.
    init(validDomain domain: String, path: String, tag: String?, digest: Digest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `domain/path`: the repository, without tag or digest.
    public var name: String { "\(domain)/\(path)" }

    /// The repository as Docker displays it: `busybox`, `user/app`, `localhost:5000/a/b`.
    public var familiarName: String {
        guard domain == Self.defaultDomain else { return name }
        if path.hasPrefix(Self.officialRepositoryPrefix) {
            let rest = path.dropFirst(Self.officialRepositoryPrefix.count)
            if !rest.contains("/") { return String(rest) }
        }
        return path
    }

    /// The full normalized form: `docker.io/library/busybox:latest`, `host:5000/a/b:tag@sha256:…`.
    public var string: String { name + suffix }

    /// The form Docker displays: `busybox:latest`, `user/app@sha256:…`.
    public var familiarString: String { familiarName + suffix }

    /// Same as `string`.
    public var description: String { string }

    /// True for Docker Hub references.
    public var isDockerHub: Bool { domain == Self.defaultDomain }

    /// The same repository and digest with `tag` (validated).
    public func withTag(_ tag: String) throws(ReferenceError) -> ImageReference {
        guard ReferenceParser.isValidTag(tag) else { throw ReferenceError.invalidTag(tag) }
        return ImageReference(validDomain: domain, path: path, tag: tag, digest: digest)
    }

    /// The same repository and tag with `digest`.
    public func withDigest(_ digest: Digest) -> ImageReference {
        ImageReference(validDomain: domain, path: path, tag: tag, digest: digest)
    }

    /// The repository alone, with neither tag nor digest.
    public var repositoryOnly: ImageReference {
        ImageReference(validDomain: domain, path: path, tag: nil, digest: nil)
    }

    private var suffix: String {
        var text = ""
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest.string)" }
        return text
    }

    /// Decodes and normalizes a reference string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ImageReference(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the full normalized string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
