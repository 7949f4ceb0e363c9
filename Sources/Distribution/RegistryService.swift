import Foundation
import ImageStore
import OCI

/// The engine's registry client: one transport (connection pools, tokens) and configuration for
/// the daemon's lifetime, and the record of where blobs came from, handing out pullers, pushers
/// and login checks over an image store.
public final class RegistryService: Sendable {
    /// Connection pools and authentication state.
    public let transport: RegistryTransport
    /// Insecure registries and mirrors.
    public let configuration: RegistryConfiguration
    /// Which repositories hold which blobs (for cross-repository mounts).
    public let sources: BlobSources

    /// A service keeping its blob-source record under `root/distribution`.
    public init(configuration: RegistryConfiguration, root: String) {
        self.configuration = configuration
        transport = RegistryTransport.shared
        sources = BlobSources(directory: root + "/distribution/blob-sources")
    }

    /// A puller into `store`.
    public func puller(_ store: ImageStore) -> ImagePuller {
        ImagePuller(transport: transport, configuration: configuration, store: store, sources: sources)
    }

    /// A pusher from `store`.
    public func pusher(_ store: ImageStore) -> ImagePusher {
        ImagePusher(transport: transport, configuration: configuration, store: store, sources: sources)
    }

    /// A login checker.
    public var login: RegistryLogin { RegistryLogin(transport: transport, configuration: configuration) }

    /// Parses the reference a pull or push names: `image` (docker's `fromImage`), with `tag` (which may
    /// be a digest) replacing its tag. Errors are docker's `invalid reference format` messages.
    public static func reference(_ image: String, tag: String?) throws(RegistryError) -> ImageReference {
        var reference: ImageReference
        do {
            reference = try ImageReference(parsing: image)
        } catch {
            throw RegistryError.invalidReference(image, reason: error.description)
        }
        guard let tag, !tag.isEmpty else { return reference }
        if let digest = try? Digest(parsing: tag) {
            return reference.repositoryOnly.withDigest(digest)
        }
        do {
            return try reference.repositoryOnly.withTag(tag)
        } catch {
            throw RegistryError.invalidReference(image + ":" + tag, reason: error.description)
        }
    }
}
