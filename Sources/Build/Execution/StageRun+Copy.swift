import Foundation
import ImageStore
import OCI

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
        if copy.sources.contains(where: { $0.contains("://") || $0.hasPrefix("git@") }) {
            throw BuildError("ADD from a URL or git repository is not supported: this berthd has no network access for builds")
        }
        var other: ResolvedImage?
        var fromStage = false
        switch copy.from {
        case nil:
            guard executor.context != nil else { throw BuildError("COPY needs a build context, and none was sent") }
        case .stage(let index):
            guard let result = results[index] else { throw BuildError("COPY --from=\(index): stage \(index) was not built") }
            other = result
            fromStage = true
        case .image(let reference):
            other = try await worker.baseImage(reference, pull: false)
            fromStage = true
        }
        let excludes: DockerIgnore = try DockerIgnore(patterns: copy.excludes)
        let excluded: @Sendable (String) -> Bool = { path in excludes.isExcluded(path) }
        let sourceDigest: String
        if fromStage {
            sourceDigest = "from:" + (other?.id.string ?? "scratch") + "\u{0}" + copy.sources.joined(separator: "\u{0}")
        } else {
            let selection = CopySelection(sourceRoot: executor.context!, refuseEscape: true, excluded: excluded,
                                          knownDigests: executor.contextDigests)
            sourceDigest = try selection.digest(sources: copy.sources, withOwners: false)
        }
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey, sourceDigest])
        if await useCache(key) { return }
        let context = executor.context
        let isFrom = fromStage
        let layer = try await worker.addLayer(on: current, reading: other, holder: holder, sourceDateEpoch: options.sourceDateEpoch,
                                              skipEmpty: false) { view, otherView, upper in
            let root = isFrom ? (otherView ?? upper) : context!
            let selection = CopySelection(sourceRoot: root, refuseEscape: !isFrom, excluded: excluded)
            let entries = try selection.entries(sources: copy.sources, destination: copy.destination, view: view,
                                                extractArchives: copy.isAdd && !isFrom, parents: copy.parents)
            let ownership = try ChownResolver.ownership(chown: copy.chown, chmod: copy.chmod, view: view,
                                                        defaultOwner: isFrom ? nil : (0, 0))
            try CopyWriter(view: view, upper: upper, ownership: ownership).write(entries)
        }
        let kind = copy.sources.count > 1 ? "multi" : (sourceDigest.hasPrefix("from:") ? "dir" : "file")
        var history = step.history
        history.createdBy = copy.createdBy(sourceDigest: "\(kind):\(CopyWriter.hash(sourceDigest))")
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
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey, "heredoc", sourceDigest])
        if await useCache(key) { return }
        let layer = try await worker.addLayer(on: current, reading: nil, holder: holder, sourceDateEpoch: options.sourceDateEpoch,
                                              skipEmpty: false) { view, _, upper in
            let entries = try selection.entries(sources: names, destination: copy.destination, view: view, extractArchives: false)
            let ownership = try ChownResolver.ownership(chown: copy.chown, chmod: copy.chmod, view: view, defaultOwner: (0, 0))
            try CopyWriter(view: view, upper: upper, ownership: ownership).write(entries)
        }
        var history = step.history
        history.createdBy = copy.createdBy(sourceDigest: "\(names.count > 1 ? "multi" : "file"):\(CopyWriter.hash(sourceDigest))")
        try await finish(key, layer: layer, history: history)
    }
}
