import DockerAPI
import Foundation
import ImageStore
import OCI

/// An image as docker lists it: one config digest with every name that points at it.
public struct ImageView: Sendable {
    public var resolved: ResolvedImage
    public var names: [String]
    public var created: Timestamp
    public var size: Int64
    public var labels: [String: String]
    public var id: String { resolved.id.string }
}

extension Engine {
    /// Every image, grouped by image ID; `all` also lists dangling ones.
    public func imageViews(includeDangling: Bool = true) throws(EngineError) -> [ImageView] {
        do {
            var byID: [String: ImageView] = [:]
            for record in try images.list(includeDangling: includeDangling) {
                // A record that cannot be read (e.g. an index without a manifest for this platform) is not listed
                // rather than failing the whole list.
                guard let resolved = try? images.resolve(record: record) else { continue }
                let id = resolved.id.string
                var view = byID[id] ?? ImageView(resolved: resolved, names: [], created: Self.created(resolved, record: record),
                                                 size: imageSize(resolved), labels: resolved.config.config?.labels ?? [:])
                if let name = record.name { view.names.append(name) }
                byID[id] = view
            }
            return byID.values.sorted { $0.created > $1.created }
        } catch {
            throw EngineError.system("listing images: \(error)")
        }
    }

    static func created(_ image: ResolvedImage, record: ImageRecord) -> Timestamp {
        if let text = image.config.created, let t = Timestamp.parse(text) { return t }
        return Timestamp(nanoseconds: Int64(record.createdAt.timeIntervalSince1970 * 1e9))
    }

    /// Unpacked size of the image's layers (the snapshot sizes), else their blob sizes.
    func imageSize(_ image: ResolvedImage) -> Int64 { layerSizes(image).reduce(0, +) }

    /// Each layer's unpacked size (its snapshot's), or its blob's size when not unpacked yet.
    public func layerSizes(_ image: ResolvedImage) -> [Int64] {
        image.chainIDs.enumerated().map { index, chainID in
            if let snapshot = try? images.metadata.snapshot(chainID: chainID) { return snapshot.size }
            return index < image.layers.count ? image.layers[index].size : 0
        }
    }

    /// One image by name, ID or ID prefix.
    public func imageView(_ reference: String) throws(EngineError) -> ImageView {
        let resolved = try resolveImage(reference)
        let views = try imageViews()
        guard let view = views.first(where: { $0.id == resolved.id.string }) else { throw EngineError.noSuchImage(reference) }
        return view
    }

    /// `docker tag`.
    public func tagImage(_ source: String, repository: String, tag: String?) throws(EngineError) {
        let image = try resolveImage(source)
        let target = tag.map { $0.isEmpty ? repository : repository + ":" + $0 } ?? repository
        do {
            let name = try ImageStore.normalizedName(target)
            try images.tag(image.target.digest.string, as: name)
            publish(type: "image", action: "tag", id: image.id.string, attributes: ["name": Self.familiarName(name)])
        } catch let error as ImageStoreError {
            throw EngineError(.invalidParameter, error.description)
        } catch {
            throw EngineError.system("\(error)")
        }
    }

    /// `docker rmi`: untags a name that is one of several, else deletes the image (refused while a
    /// container uses it, unless `force`). Returns docker's `Untagged`/`Deleted` items.
    public func removeImage(_ reference: String, force: Bool) throws(EngineError) -> [(untagged: String?, deleted: String?)] {
        let image = try resolveImage(reference)
        let view = try imageView(image.id.string)
        let byID = reference.hasPrefix("sha256:") || (!reference.contains(":") && !reference.contains("/") && image.id.string.dropFirst(7).hasPrefix(reference) && !view.names.contains { $0.hasSuffix("/" + reference + ":latest") })
        let users = containers.values.filter { $0.imageID == image.id.string }
        var result: [(String?, String?)] = []
        do {
            // docker: removing one of several tags only untags it; removing the last tag also drops
            // the image's digest references (`repo@sha256:…`) and deletes it. A digest reference
            // named while tags remain is untagged alone.
            let tags = view.names.filter { !$0.contains("@") }
            let namedDigest = reference.contains("@")
            if !byID, tags.count > 1 || (namedDigest && view.names.count > 1), let name = try? ImageStore.normalizedName(reference) {
                try images.untag(name, force: true)
                publish(type: "image", action: "untag", id: image.id.string, attributes: ["name": Self.familiarName(name)])
                return [(Self.familiarName(name), nil)]
            }
            if let user = users.first, !force {
                let what = byID ? "unable to delete \(image.id.string.dropFirst(7).prefix(12)) (must be forced)" : "unable to remove repository reference \"\(reference)\" (must force)"
                throw EngineError(.conflict, "conflict: \(what) - container \(user.shortID) is using its referenced image \(image.id.string.dropFirst(7).prefix(12))")
            }
            if byID && tags.count > 1 && !force {
                throw EngineError(.conflict, "conflict: unable to delete \(image.id.string.dropFirst(7).prefix(12)) (must be forced) - image is referenced in multiple repositories")
            }
            for name in view.names {
                try images.untag(name, force: true)
                result.append((Self.familiarName(name), nil))
                publish(type: "image", action: "untag", id: image.id.string, attributes: ["name": Self.familiarName(name)])
            }
            for record in try images.list(includeDangling: true) where (try? images.resolve(record: record))?.id == image.id {
                _ = try? images.remove(name: record.target.digest.string, force: true)
            }
            result.append((nil, image.id.string))
            publish(type: "image", action: "delete", id: image.id.string)
            _ = try? images.gc()
            return result
        } catch let error as EngineError {
            throw error
        } catch let error as ImageStoreError {
            throw EngineError(.conflict, error.description)
        } catch {
            throw EngineError(.conflict, "\(error)")
        }
    }

    /// `docker image prune`: dangling images (all unused with `all`).
    public func pruneImages(all: Bool) throws(EngineError) -> (deleted: [(String?, String?)], space: Int64) {
        var removed: [(String?, String?)] = []
        var space: Int64 = 0
        let used = Set(containers.values.map(\.imageID))
        for view in try imageViews() where !used.contains(view.id) && (all || view.names.isEmpty) {
            if let items = try? removeImage(view.id, force: false) {
                removed += items
                space += view.size
            }
        }
        return (removed, space)
    }

    /// `docker load` of the archive at `path`; the names (familiar) or IDs loaded.
    public func loadImages(from path: String) async throws(EngineError) -> [String] {
        let store = images
        do {
            let loaded = try await Blocking.run { try store.load(from: path) }
            var lines: [String] = []
            for image in loaded {
                if image.names.isEmpty {
                    let resolved = try images.resolve(record: ImageRecord(name: nil, target: image.target))
                    lines.append("Loaded image ID: " + resolved.id.string)
                } else {
                    for name in image.names {
                        lines.append("Loaded image: " + Self.familiarName(name))
                        publish(type: "image", action: "load", id: name)
                    }
                }
            }
            return lines
        } catch {
            throw EngineError(.invalidParameter, "\(error)")
        }
    }

    /// `docker save` of `references` to `path` (a docker-archive tar that also is an OCI layout).
    public func saveImages(_ references: [String], to path: String) async throws(EngineError) {
        var names: [String] = []
        for reference in references {
            let image = try resolveImage(reference)
            names.append(image.name ?? image.target.digest.string)
        }
        let store = images
        let chosen = names
        do { try await Blocking.run { try store.save(chosen, to: path, format: .dockerArchive) } } catch {
            throw EngineError.system("saving images: \(error)")
        }
    }

    /// `docker import` of a rootfs tarball at `path`.
    public func importImage(from path: String, reference: String?, changes: ImageChanges, message: String?) async throws(EngineError) -> String {
        let store = images
        do {
            let parsed = try reference.flatMap { $0.isEmpty ? nil : try ImageReference(parsing: $0) }
            let digest = try await Blocking.run { try store.importRootfs(tarballAt: path, reference: parsed, changes: changes, source: "-",
                                   comment: message.flatMap { $0.isEmpty ? nil : $0 }) }
            let resolved = try images.resolve(digest.string)
            publish(type: "image", action: "import", id: resolved.id.string)
            return resolved.id.string
        } catch {
            throw EngineError(.invalidParameter, "\(error)")
        }
    }
}
