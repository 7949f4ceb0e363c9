#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The image configuration JSON (OCI image config, Docker container image v1): platform, run defaults,
/// layer diff IDs and history. Unknown keys (`container_config`, `docker_version`, …) are ignored when decoding.
public struct ImageConfig: Codable, Sendable, Equatable {
    /// When the image was created, RFC 3339 (kept as written, nanoseconds included).
    public var created: String?
    /// Who made the image.
    public var author: String?
    /// CPU architecture (Go naming).
    public var architecture: String
    /// Operating system (Go naming).
    public var os: String
    /// OS version (Windows); JSON key `os.version`.
    public var osVersion: String?
    /// Required OS features; JSON key `os.features`.
    public var osFeatures: [String]?
    /// CPU variant.
    public var variant: String?
    /// Defaults for containers run from the image.
    public var config: ContainerConfig?
    /// The layers' uncompressed digests.
    public var rootfs: RootFS
    /// One entry per build step, including steps that made no layer.
    public var history: [History]?

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os
        case osVersion = "os.version"
        case osFeatures = "os.features"
        case variant, config, rootfs, history
    }

    /// Creates an image configuration.
    public init(
        created: String? = nil,
        author: String? = nil,
        architecture: String,
        os: String,
        osVersion: String? = nil,
        osFeatures: [String]? = nil,
        variant: String? = nil,
        config: ContainerConfig? = nil,
        rootfs: RootFS,
        history: [History]? = nil
    ) {
        self.created = created
        self.author = author
        self.architecture = architecture
        self.os = os
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.variant = variant
        self.config = config
        self.rootfs = rootfs
        self.history = history
    }

    /// The platform the image is built for.
    public var platform: Platform {
        Platform(architecture: architecture, os: os, osVersion: osVersion, osFeatures: osFeatures, variant: variant)
    }

    /// Decodes an image configuration, reporting the first problem with its JSON path.
    public static func decode(from data: Data) throws(ImageError) -> ImageConfig {
        try decodeImageJSON(ImageConfig.self, from: data, document: "image config")
    }

    /// Encodes the configuration as JSON with sorted keys; absent optionals are omitted.
    public func encoded(prettyPrinted: Bool = false) throws -> Data {
        try encodeImageJSON(self, prettyPrinted: prettyPrinted)
    }
}

/// The layers of an image's root filesystem, by uncompressed digest (diff ID), base first.
public struct RootFS: Codable, Sendable, Equatable {
    /// Always `layers`.
    public var type: String
    /// Digests of the uncompressed layer tars.
    public var diffIDs: [Digest]

    enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }

    /// Creates a rootfs section of type `layers`.
    public init(type: String = "layers", diffIDs: [Digest]) {
        self.type = type
        self.diffIDs = diffIDs
    }
}

/// One build step in an image's history.
public struct History: Codable, Sendable, Equatable {
    /// When the step ran, RFC 3339.
    public var created: String?
    /// The command, e.g. `/bin/sh -c #(nop) CMD ["sh"]` or `RUN /bin/sh -c make`.
    public var createdBy: String?
    /// Who made the step.
    public var author: String?
    /// Free text.
    public var comment: String?
    /// True when the step made no layer (and so has no diff ID).
    public var emptyLayer: Bool?

    enum CodingKeys: String, CodingKey {
        case created
        case createdBy = "created_by"
        case author, comment
        case emptyLayer = "empty_layer"
    }

    /// Creates a history entry.
    public init(created: String? = nil, createdBy: String? = nil, author: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
        self.created = created
        self.createdBy = createdBy
        self.author = author
        self.comment = comment
        self.emptyLayer = emptyLayer
    }
}
