import ImageStore
import OCI

/// A RUN step as the worker executes it: the command in a container made from `image`.
public struct BuildRunRequest: Sendable {
    /// The stage's current image (nil: scratch, where nothing can run).
    public var image: ResolvedImage
    /// The process' argv (the shell form already wrapped in the stage's SHELL).
    public var argv: [String]
    /// The stage's environment plus the build args in scope (`K=V`).
    public var env: [String]
    /// USER of the stage ("" for root).
    public var user: String
    /// WORKDIR of the stage ("" for /).
    public var workingDir: String
    /// `--network`: "default", "none" or "host".
    public var network: String
    /// `--mount` options, already resolved to host sources by the executor.
    public var mounts: [BuildRunMount]
    /// SOURCE_DATE_EPOCH: mtimes in the committed layer are clamped to it.
    public var sourceDateEpoch: Int64?

    /// A request with every field.
    public init(image: ResolvedImage, argv: [String], env: [String], user: String, workingDir: String,
                network: String, mounts: [BuildRunMount], sourceDateEpoch: Int64? = nil) {
        self.image = image; self.argv = argv; self.env = env; self.user = user
        self.workingDir = workingDir; self.network = network; self.mounts = mounts
        self.sourceDateEpoch = sourceDateEpoch
    }
}

/// One `RUN --mount`, resolved to what the container gets.
public enum BuildRunMount: Sendable, Equatable {
    /// A host directory bound at `target` (cache mounts, bind mounts of the context or a stage).
    case bind(source: String, target: String, readOnly: Bool)
    /// A tmpfs at `target`.
    case tmpfs(target: String, size: Int64?)
}

/// What a RUN step left: its exit code, and when it succeeded the committed layer.
public struct BuildRunOutcome: Sendable {
    /// The command's exit code.
    public var exitCode: Int
    /// The layer of its changes (nil when it failed).
    public var layer: BuildLayer?

    /// An outcome.
    public init(exitCode: Int, layer: BuildLayer?) { self.exitCode = exitCode; self.layer = layer }
}

/// A layer a step wrote: its blob and diff ID, ready to stack on the parent image.
public struct BuildLayer: Sendable, Equatable {
    /// The blob.
    public var descriptor: Descriptor
    /// The uncompressed tar's digest.
    public var diffID: Digest

    /// A layer.
    public init(descriptor: Descriptor, diffID: Digest) { self.descriptor = descriptor; self.diffID = diffID }
}

/// A file `ADD <url>` downloaded.
public struct BuildDownload: Sendable, Equatable {
    /// `sha256:<hex>` of its content.
    public var digest: String
    /// The `Last-Modified` header, as seconds since the epoch.
    public var lastModified: Int64?
    /// The `Content-Disposition` header.
    public var contentDisposition: String?

    /// A download's facts.
    public init(digest: String, lastModified: Int64?, contentDisposition: String?) {
        self.digest = digest; self.lastModified = lastModified; self.contentDisposition = contentDisposition
    }
}

/// The side effects a build needs, done by the engine: images by reference, containers for RUN,
/// layers written from directories, images written and named, and the persistent cache.
/// The executor decides what to do; the worker does it.
public protocol BuildWorker: Sendable {
    /// The image `reference` names (pulled first when `pull`, or when absent and the engine can pull).
    func baseImage(_ reference: String, pull: Bool) async throws -> ResolvedImage
    /// Runs `request` in a container, streaming its output; on exit code 0 commits its changes
    /// as a layer (held by `holder`). Every mount, container and cgroup is gone when it returns.
    func run(_ request: BuildRunRequest, holder: String, output: @escaping @Sendable ([UInt8]) async -> Void) async throws -> BuildRunOutcome
    /// Calls `fill(view, otherView, upper)` with a read-only view of `parent`'s root (nil: empty), a
    /// read-only view of `other` (`COPY --from`; nil when not asked) and an empty directory for the
    /// step's additions, then writes the additions as a layer held by `holder` — nil when `fill`
    /// added nothing and `skipEmpty`.
    func addLayer(on parent: ResolvedImage?, reading other: ResolvedImage?, holder: String, sourceDateEpoch: Int64?, skipEmpty: Bool,
                  fill: @escaping @Sendable (_ view: String, _ otherView: String?, _ upper: String) throws -> Void) async throws -> BuildLayer?
    /// Mounts a read-only view of `image` (`RUN --mount=from=`); `unmountView` removes it.
    func mountView(_ image: ResolvedImage?) async throws -> String
    /// Removes a view `mountView` made.
    func unmountView(_ path: String) async
    /// GETs `url` (`ADD <url>`) into a new file at `path` (mode 0600). Errors name the URL and,
    /// for an answer other than 200, the HTTP status.
    func download(_ url: String, to path: String) async throws -> BuildDownload
    /// The persistent directory of cache mount `id` (`RUN --mount=type=cache`).
    func cacheDirectory(_ id: String) async throws -> String
    /// Writes an image of `layers` with `config` (held by `holder` until cached or named).
    func writeImage(layers: [Descriptor], config: ImageConfig, holder: String) async throws -> ResolvedImage
    /// The image the cache has for `key`.
    func cached(_ key: String) async -> ResolvedImage?
    /// Records `image` as the result for `key`.
    func remember(_ key: String, image: ResolvedImage) async throws
    /// Names `image` with each of `names` (docker's `-t`), or keeps it dangling when there are none.
    func name(_ image: ResolvedImage, as names: [String]) async throws
    /// Drops what `holder` held during the build.
    func release(holder: String) async
}
