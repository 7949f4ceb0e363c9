import Foundation
import ImageStore
import OCI

extension StageRun {
    /// COPY/ADD: the cache key takes the sources' content digest (context) or the source image's ID
    /// (`--from`); on a miss the selected entries are written as a layer over the stage's root.
    mutating func copy(_ step: BuildStep, _ copy: CopyStep) async throws {
        guard copy.sourceContents.isEmpty else {
            throw BuildError("\(copy.isAdd ? "ADD" : "COPY") with heredoc sources is not supported yet")
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
            let selection = CopySelection(sourceRoot: executor.context!, refuseEscape: true, excluded: excluded)
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
}
