import Foundation
import OCI

/// One entry of a registry's error body (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`).
public struct RegistryErrorEntry: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// The spec's code: `MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, `DENIED`, `UNAUTHORIZED`, `BLOB_UNKNOWN`, …
    public var code: String
    /// The registry's message.
    public var message: String

    /// Creates an entry.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case code, message }

    /// Decodes an entry; a missing message is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = (try? container.decode(String.self, forKey: .code)) ?? "UNKNOWN"
        message = (try? container.decode(String.self, forKey: .message)) ?? ""
    }

    /// docker's rendering: the code in lowercase words, then the message (`manifest unknown: manifest unknown`).
    public var description: String {
        let words = code.lowercased().replacingOccurrences(of: "_", with: " ")
        return message.isEmpty ? words : "\(words): \(message)"
    }

    /// The entries of a registry error body, or nil when it is not one.
    public static func decodeList(_ bytes: [UInt8]) -> [RegistryErrorEntry]? {
        struct Body: Decodable { var errors: [RegistryErrorEntry] }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)), !body.errors.isEmpty else { return nil }
        return body.errors
    }
}

/// What went wrong talking to a registry; every case names the registry, repository or digest.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A reference that is not valid (`reason` in docker's words).
    case invalidReference(String, reason: String)
    /// A daemon option that is not valid.
    case invalidConfiguration(String)
    /// The manifest `reference` (familiar form) is not in the registry.
    case manifestUnknown(reference: String, entry: RegistryErrorEntry)
    /// The repository `name` (familiar form) is not in the registry.
    case repositoryUnknown(name: String, entry: RegistryErrorEntry)
    /// Access was denied (pull) to `name`.
    case pullDenied(name: String, entry: RegistryErrorEntry?)
    /// Authentication failed or is missing for `url`.
    case unauthorized(url: String, detail: String)
    /// The registry answered `status` to `method url` with `entries` (or a body that was not an error document).
    case unexpectedStatus(method: String, url: String, status: Int, entries: [RegistryErrorEntry], body: String)
    /// The bytes received for `digest` hash to `actual`: nothing of them was kept.
    case digestMismatch(digest: Digest, actual: Digest)
    /// `digest` was declared `expected` bytes long but the registry sent `actual`.
    case sizeMismatch(digest: Digest, expected: Int64, actual: Int64)
    /// The manifest of `reference` could not be read.
    case invalidManifest(reference: String, reason: String)
    /// The image has no manifest for the platform wanted.
    case noMatchingPlatform(reference: String, platform: String)
    /// The registry could not be reached at `url`.
    case unreachable(url: String, reason: String)
    /// The token server at `realm` failed.
    case tokenFailed(realm: String, reason: String)
    /// No local image is named `name` (push).
    case noLocalImage(String)
    /// A blob the image needs is missing from the local content store (push).
    case missingLocalBlob(Digest, role: String)
    /// `docker login` was refused by the registry at `url`.
    case loginFailed(url: String, status: String)

    /// The message the user sees, in docker's words where docker has some.
    public var description: String {
        switch self {
        case .invalidReference(_, let reason): reason
        case .invalidConfiguration(let message): message
        case .manifestUnknown(let reference, let entry): "manifest for \(reference) not found: \(entry)"
        case .repositoryUnknown(let name, let entry): "repository \(name) not found: \(entry)"
        case .pullDenied(let name, let entry):
            "pull access denied for \(name), repository does not exist or may require 'docker login'" + (entry.map { ": \($0)" } ?? "")
        case .unauthorized(let url, let detail): "unauthorized: authentication required for \(url)" + (detail.isEmpty ? "" : ": \(detail)")
        case .unexpectedStatus(let method, let url, let status, let entries, let body):
            entries.isEmpty
                ? "\(method) \(url): unexpected status \(status)" + (body.isEmpty ? "" : ": \(body)")
                : entries.map(\.description).joined(separator: "; ")
        case .digestMismatch(let digest, let actual):
            "filesystem layer verification failed for digest \(digest): the registry sent bytes whose digest is \(actual)"
        case .sizeMismatch(let digest, let expected, let actual):
            "blob \(digest) should be \(expected) bytes but the registry sent \(actual)"
        case .invalidManifest(let reference, let reason): "invalid manifest for \(reference): \(reason)"
        case .noMatchingPlatform(let reference, let platform): "no matching manifest for \(platform) in the manifest list entries of \(reference)"
        case .unreachable(let url, let reason): "Get \"\(url)\": \(reason)"
        case .tokenFailed(let realm, let reason): "getting a token from \(realm) failed: \(reason)"
        case .noLocalImage(let name): "An image does not exist locally with the tag: \(name)"
        case .missingLocalBlob(let digest, let role): "blob \(digest) (\(role)) is missing from the content store"
        case .loginFailed(let url, let status): "login attempt to \(url) failed with status: \(status)"
        }
    }

    /// True for errors docker reports as "not found" (HTTP 404).
    public var isNotFound: Bool {
        switch self {
        case .manifestUnknown, .repositoryUnknown, .pullDenied, .noLocalImage: true
        default: false
        }
    }

    /// True for authentication failures (HTTP 401).
    public var isUnauthorized: Bool {
        switch self {
        case .unauthorized, .loginFailed: true
        default: false
        }
    }
}
