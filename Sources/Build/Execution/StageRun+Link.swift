import Foundation
import ImageStore
import OCI

/// `COPY --link` / `ADD --link`: the copied files form a layer of their own, written over an empty
/// root, and the layer is cached under a key that leaves the parent image out. When an earlier
/// step changed, the layer is taken from that cache and stacked on the new parent (rebased)
/// instead of being copied again.
///
/// The layer is kept as a one-layer image (the cache holds images, and its `build` reference
/// keeps the blob and its snapshot through garbage collection).
extension StageRun {
    /// `--chown` with names resolved in the stage's current image (`app:app` → `1000:1000`);
    /// numbers and nil as they are.
    func numericOwner(_ chown: String?) async throws -> String? {
        guard let chown, !chown.isEmpty else { return chown }
        let parts = chown.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.contains(where: { UInt32($0) == nil }) else { return chown }
        let view = try await worker.mountView(current)
        defer {
            let worker = self.worker
            Task { await worker.unmountView(view) }
        }
        let owner = try ChownResolver.ownership(chown: chown, chmod: nil, view: view, defaultOwner: nil)
        return "\(owner.uid ?? 0):\(owner.gid ?? 0)"
    }

    /// Stacks the layer cached under `linkKey` on the current image; false when there is none
    /// (or `--no-cache`). The result is recorded under the step's own `key`.
    mutating func rebaseLinkedLayer(_ linkKey: String, key: String, history: History) async throws -> Bool {
        guard !options.noCache, let linked = await worker.cached(linkKey),
              let descriptor = linked.layers.last, let diffID = linked.diffIDs.last else { return false }
        let layer = BuildLayer(descriptor: descriptor, diffID: diffID)
        let image = try await executor.commit(parent: current, config: state.image, layer: layer, history: history, holder: holder)
        try await worker.remember(key, image: image)
        current = image
        await report(.cached, " ---> Using cache (linked layer \(String(diffID.encoded.prefix(12))))\n ---> \(BuildExecutor.short(image.id))\n")
        return true
    }

    /// Records `layer` under `linkKey` as a one-layer image.
    func rememberLinkedLayer(_ layer: BuildLayer, as linkKey: String) async throws {
        let config = ImageConfig(architecture: current?.config.architecture ?? "amd64", os: current?.config.os ?? "linux",
                                 rootfs: RootFS(diffIDs: [layer.diffID]))
        let image = try await worker.writeImage(layers: [layer.descriptor], config: config, holder: holder)
        try await worker.remember(linkKey, image: image)
    }
}

extension BuildExecutor {
    /// The cache key of a `--link` layer: what the step copies, not what it is copied onto.
    static func linkCacheKey(parts: [String]) -> String {
        cacheKey(parent: "link", parts: parts)
    }
}
