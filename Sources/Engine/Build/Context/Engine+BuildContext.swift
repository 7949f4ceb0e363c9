import Build
import DockerAPI
import Foundation
import ImageStore

/// A synced context made ready for one build: its own directory (removed by the build) and the
/// content digests known for its files.
public struct SyncedBuildContext: Sendable {
    /// The build's view of the context.
    public var directory: String
    /// Digests of its files, so COPY's cache keys read nothing.
    public var digests: ContextDigests
    /// The Dockerfile's text when it is outside the context.
    public var dockerfile: String?
}

extension Engine {
    /// `POST /build/contexts/{key}/sync`: the regular files of `listing` the synced copy of `key`
    /// lacks (new, or with other metadata), in listing order. Changes nothing.
    nonisolated public func buildContextNeeds(key: String, listing: BuildContextListing) throws(EngineError) -> [String] {
        guard BuildContextStore.isValidKey(key) else { throw EngineError(.invalidParameter, "invalid build context key \"\(key)\"") }
        do { try BuildContextTree.validate(listing.entries) } catch {
            throw EngineError(.invalidParameter, error.description)
        }
        let index = buildContexts.tree(key).index() ?? BuildContextIndex(items: [])
        return index.needs(listing.entries)
    }

    /// What an upload led to: a view to build from, or the files the copy lacks that it did not carry.
    public enum SyncedContextOutcome: Sendable {
        case ready(SyncedBuildContext)
        case needs([String])
    }

    /// The first half of `POST /build/contexts/{key}/build`: under the key's lock, applies the upload
    /// (`body`: the header line and the sent files) to the synced copy, then hard-links a view of it
    /// for the build. When the copy lacks files the upload does not carry, nothing changes and
    /// those files are returned (the API answers 409 with them; the client sends them).
    nonisolated public func prepareSyncedContext(key: String, body: BuildContextBody) async throws(EngineError) -> SyncedContextOutcome {
        guard BuildContextStore.isValidKey(key) else { throw EngineError(.invalidParameter, "invalid build context key \"\(key)\"") }
        let contexts = buildContexts
        let store = images
        let tree = contexts.tree(key)
        do {
            let (prepared, changed, report) = try await contexts.withLock(key) {
                try await Blocking.run {
                    var clock = StepClock()
                    let reader = try ContextUploadReader(body)
                    let line = try reader.headerLine(limit: 256 << 20)
                    let upload: BuildContextUpload
                    do { upload = try JSONDecoder().decode(BuildContextUpload.self, from: Data(line)) } catch {
                        throw BuildContextError.invalid("the upload's header is not valid JSON: \(error)")
                    }
                    clock.mark("header (\(upload.entries.count) entries)")
                    let (index, changed) = try tree.apply(upload, reader: reader)
                    clock.mark("apply (\(upload.sent.count) files received)")
                    let view = try store.makeStepDirectory()
                    do { try tree.snapshot(index, into: view) } catch {
                        try? store.removeTree(view)
                        throw error
                    }
                    clock.mark("view")
                    return (SyncedBuildContext(directory: view, digests: index.digests, dockerfile: upload.dockerfile), changed, clock.report)
                }
            }
            logger.debug("build context \(key.prefix(12)): \(report)")
            if changed { await contexts.evict() }
            return .ready(prepared)
        } catch let error as BuildContextError {
            switch error {
            case .stale(let missing): return .needs(missing)
            case .invalid: throw EngineError(.invalidParameter, error.description)
            case .system: throw EngineError.system("syncing the build context: \(error)")
            }
        } catch {
            throw EngineError.system("syncing the build context: \(error)")
        }
    }
}
