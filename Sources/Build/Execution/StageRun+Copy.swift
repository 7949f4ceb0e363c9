import Foundation
import ImageStore
import OCI

/// Sources of one COPY/ADD read from one root: the context, ADD's downloads, or (`root` nil) the
/// `--from` image's view.
struct CopySourceGroup: Sendable {
    let root: String?
    let sources: [String]
    let refuseEscape: Bool
    /// ADD extracts local archives of this group.
    let extract: Bool
}

extension StageRun {
    /// COPY/ADD: the cache key takes the sources' content digest (context) or the source image's ID
    /// (`--from`); on a miss the selected entries are written as a layer over the stage's root.
    mutating func copy(_ step: BuildStep, _ copy: CopyStep) async throws {
        if !copy.sourceContents.isEmpty {
            guard copy.sources.isEmpty, copy.from == nil else {
                throw BuildError("\(copy.isAdd ? "ADD" : "COPY") mixing heredoc sources with files is not supported")
            }
            return try await copyHeredocs(step, copy)
        }
        if copy.sources.contains(where: { ($0.contains("://") && !Self.isRemote($0)) || $0.hasPrefix("git@") }) {
            throw BuildError("ADD from a git repository is not supported")
        }
        let urls = copy.sources.filter(Self.isRemote)
        let locals = copy.sources.filter { !Self.isRemote($0) }
        if !urls.isEmpty {
            guard copy.isAdd else { throw BuildError("source can't be a URL for COPY") }
            guard copy.from == nil else { throw BuildError("ADD --from cannot take URLs") }
        } else if copy.checksum != nil {
            throw BuildError("checksum can't be specified for non-HTTP(S) sources")
        }
        var other: ResolvedImage?
        var fromStage = false
        switch copy.from {
        case nil:
            guard executor.context != nil || locals.isEmpty else { throw BuildError("COPY needs a build context, and none was sent") }
        case .stage(let index):
            guard let result = results[index] else { throw BuildError("COPY --from=\(index): stage \(index) was not built") }
            other = result
            fromStage = true
        case .image(let reference):
            other = try await worker.baseImage(reference, pull: false)
            fromStage = true
        }
        // Each root's selection checks its own sources; URLs mixed with local files are several too.
        if !urls.isEmpty, !locals.isEmpty, !(copy.destination.hasSuffix("/") || copy.destination.hasSuffix("/.")) {
            throw CopyError.destinationNotDirectory(copy.destination)
        }
        let excludes: DockerIgnore = try DockerIgnore(patterns: copy.excludes)
        let excluded: @Sendable (String) -> Bool = { path in excludes.isExcluded(path) }
        // ADD <url>: the downloads are a source root of their own (downloaded on every build, as
        // docker's legacy builder does: the key needs their content).
        let downloaded = urls.isEmpty ? nil : try await fetchRemote(copy, urls: urls)
        defer { if let downloaded { try? FileManager.default.removeItem(atPath: downloaded.directory) } }
        var groups: [CopySourceGroup] = []
        if fromStage {
            groups.append(CopySourceGroup(root: nil, sources: copy.sources, refuseEscape: false, extract: false))
        } else {
            if !locals.isEmpty {
                groups.append(CopySourceGroup(root: executor.context!, sources: locals, refuseEscape: true, extract: copy.isAdd))
            }
            if let downloaded {
                groups.append(CopySourceGroup(root: downloaded.directory, sources: downloaded.sources, refuseEscape: true, extract: false))
            }
        }
        var sourceDigest: String
        if fromStage {
            sourceDigest = "from:" + (other?.id.string ?? "scratch") + "\u{0}" + copy.sources.joined(separator: "\u{0}")
        } else {
            sourceDigest = try groups.map { group in
                // Files of the synced context carry the digests berthd took as they arrived.
                let known = group.root == executor.context ? executor.contextDigests : ContextDigests()
                return try CopySelection(sourceRoot: group.root!, refuseEscape: true, excluded: excluded, knownDigests: known)
                    .digest(sources: group.sources, withOwners: false)
            }.joined(separator: "\u{2}")
            if let downloaded { sourceDigest += "\u{1}" + downloaded.key }
        }
        let kind = copy.sources.count > 1 ? "multi" : (sourceDigest.hasPrefix("from:") ? "dir" : "file")
        var history = step.history
        history.createdBy = copy.createdBy(sourceDigest: "\(kind):\(CopyWriter.hash(sourceDigest))")
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey, sourceDigest])
        if await useCache(key) { return }
        // --link: names in --chown are resolved in the stage's image now, so the layer itself
        // depends only on the sources, the destination and these numbers.
        let chown = copy.link ? try await numericOwner(copy.chown) : copy.chown
        let linkKey = copy.link ? BuildExecutor.linkCacheKey(parts: [step.cacheKey, sourceDigest, chown ?? ""]) : nil
        if let linkKey, try await rebaseLinkedLayer(linkKey, key: key, history: history) { return }
        let isFrom = fromStage
        let sourceGroups = groups
        // --link writes over an empty root: destination directories are made fresh, never
        // through the symlinks or into the directories of the layers below.
        let layer = try await worker.addLayer(on: copy.link ? nil : current, reading: other, holder: holder,
                                              sourceDateEpoch: options.sourceDateEpoch, skipEmpty: false) { view, otherView, upper in
            var entries: [CopyEntry] = []
            for group in sourceGroups {
                let selection = CopySelection(sourceRoot: group.root ?? otherView ?? upper, refuseEscape: group.refuseEscape, excluded: excluded)
                entries += try selection.entries(sources: group.sources, destination: copy.destination, view: view,
                                                 extractArchives: group.extract, parents: copy.parents)
            }
            let ownership = try ChownResolver.ownership(chown: chown, chmod: copy.chmod, view: view,
                                                        defaultOwner: isFrom ? nil : (0, 0))
            try CopyWriter(view: view, upper: upper, ownership: ownership).write(entries)
        }
        if let linkKey, let layer { try await rememberLinkedLayer(layer, as: linkKey) }
        try await finish(key, layer: layer, history: history)
    }

    /// `COPY <<EOF /dst`: each heredoc becomes a file (0644, named by its delimiter) in a
    /// directory of its own that serves as the source root.
    mutating func copyHeredocs(_ step: BuildStep, _ copy: CopyStep) async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/berth-heredoc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for source in copy.sourceContents {
            guard !source.path.contains("/"), !source.path.isEmpty, source.path != "..", source.path != "." else {
                throw BuildError("heredoc name \(source.path) cannot be a file name")
            }
            let path = directory + "/" + source.path
            try Data(source.data.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o644)
        }
        let names = copy.sourceContents.map(\.path)
        let selection = CopySelection(sourceRoot: directory, refuseEscape: true)
        let sourceDigest = try selection.digest(sources: names, withOwners: false)
        var history = step.history
        history.createdBy = copy.createdBy(sourceDigest: "\(names.count > 1 ? "multi" : "file"):\(CopyWriter.hash(sourceDigest))")
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey, "heredoc", sourceDigest])
        if await useCache(key) { return }
        let chown = copy.link ? try await numericOwner(copy.chown) : copy.chown
        let linkKey = copy.link ? BuildExecutor.linkCacheKey(parts: [step.cacheKey, "heredoc", sourceDigest, chown ?? ""]) : nil
        if let linkKey, try await rebaseLinkedLayer(linkKey, key: key, history: history) { return }
        let layer = try await worker.addLayer(on: copy.link ? nil : current, reading: nil, holder: holder,
                                              sourceDateEpoch: options.sourceDateEpoch, skipEmpty: false) { view, _, upper in
            let entries = try selection.entries(sources: names, destination: copy.destination, view: view, extractArchives: false)
            let ownership = try ChownResolver.ownership(chown: chown, chmod: copy.chmod, view: view, defaultOwner: (0, 0))
            try CopyWriter(view: view, upper: upper, ownership: ownership).write(entries)
        }
        if let linkKey, let layer { try await rememberLinkedLayer(layer, as: linkKey) }
        try await finish(key, layer: layer, history: history)
    }
}
