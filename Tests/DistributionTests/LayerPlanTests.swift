import OCI
import Testing
@testable import Distribution

@Suite struct LayerPlanTests {
    static func layer(_ n: Int) -> Descriptor {
        let hex = String(repeating: String(n % 10), count: 64)
        return Descriptor(mediaType: MediaType.ociLayerGzip, digest: try! Digest(parsing: "sha256:" + hex), size: Int64(n * 100))
    }

    @Test func presentLayersAreSkippedAndOnlyTheFirstThreeStartAtOnce() {
        let layers = (1...6).map(Self.layer)
        let present: Set<Digest> = [layers[1].digest]
        let plan = LayerPlan(layers: layers, concurrency: 3) { present.contains($0) }
        #expect(plan.downloads.map(\.digest) == [layers[0], layers[2], layers[3], layers[4], layers[5]].map(\.digest))
        #expect(plan.initialEvents.map(\.status) == [
            "Pulling fs layer", "Already exists", "Pulling fs layer", "Pulling fs layer", "Pulling fs layer", "Pulling fs layer",
            "Waiting", "Waiting",
        ])
        #expect(plan.initialEvents.suffix(2).map(\.id) == [layers[4].digest.shortID, layers[5].digest.shortID])
        #expect(plan.initialEvents.allSatisfy { $0.detail == ProgressEvent.Detail() && $0.id?.count == 12 })
    }

    @Test func aLayerListedTwiceIsFetchedOnce() {
        let layers = [Self.layer(1), Self.layer(2), Self.layer(1)]
        let plan = LayerPlan(layers: layers, concurrency: 3) { _ in false }
        #expect(plan.downloads.count == 2)
        #expect(plan.initialEvents.count == 2)
    }

    @Test func everythingPresentDownloadsNothing() {
        let plan = LayerPlan(layers: [Self.layer(1), Self.layer(2)], concurrency: 3) { _ in true }
        #expect(plan.downloads.isEmpty)
        #expect(plan.initialEvents.map(\.status) == ["Already exists", "Already exists"])
    }
}
