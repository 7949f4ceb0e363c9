import Foundation
import Glibc

/// The synced build contexts of `berth build` under `<root>/build/contexts/<key>`: a lock per key
/// (two builds of one context never interleave their updates), and at most `maxContexts`
/// contexts and `maxBytes` of files kept, the least recently used evicted first.
public actor BuildContextStore {
    /// `<root>/build/contexts`.
    public nonisolated let directory: String
    /// How many contexts are kept at most.
    public nonisolated let maxContexts: Int
    /// How many bytes of files all contexts keep at most.
    public nonisolated let maxBytes: Int64
    private var busy: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Opens the store; staging directories an interrupted update left are removed.
    public init(directory: String, maxContexts: Int = 32, maxBytes: Int64 = 4 << 30) {
        self.directory = directory; self.maxContexts = maxContexts; self.maxBytes = maxBytes
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            try? FileManager.default.removeItem(atPath: directory + "/" + key + "/staging")
        }
    }

    /// Keys are what the CLI derives (hex SHA-256), or at least one safe file name.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 128 && !key.hasPrefix(".")
            && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x41 && $0 <= 0x5a) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e }
    }

    /// The context of `key`.
    nonisolated func tree(_ key: String) -> BuildContextTree { BuildContextTree(directory: directory + "/" + key) }

    /// Runs `body` holding `key`'s lock (waiting for the holder before).
    nonisolated func withLock<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let result = try await body()
            await release(key)
            return result
        } catch {
            await release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard busy.contains(key) else { busy.insert(key); return }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.resume()  // the lock passes on: `key` stays busy
        } else {
            busy.remove(key)
        }
    }

    /// One kept context: its key, when it was last used, the bytes of its files.
    struct Usage { var key: String; var lastUsed: Double; var bytes: Int64 }

    private nonisolated func usages() -> [Usage] {
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return keys.map { key in
            let context = self.tree(key)
            var st = stat()
            let used = stat(context.indexPath, &st) == 0 ? Double(st.st_mtim.tv_sec) : 0
            return Usage(key: key, lastUsed: used, bytes: context.index()?.bytes ?? 0)
        }
    }

    /// Removes the least recently used contexts beyond the caps, never one in use.
    func evict() {
        var kept = usages().sorted { $0.lastUsed > $1.lastUsed }
        var total = kept.reduce(0) { $0 + $1.bytes }
        while kept.count > maxContexts || total > maxBytes, let index = kept.lastIndex(where: { !busy.contains($0.key) }) {
            let victim = kept.remove(at: index)
            total -= victim.bytes
            try? FileManager.default.removeItem(atPath: directory + "/" + victim.key)
        }
    }

    /// Removes every context not in use (or those unused for `seconds`); returns their keys and bytes.
    public func prune(olderThan seconds: Double?) -> (keys: [String], bytes: Int64) {
        let now = Date().timeIntervalSince1970
        var removed: [String] = []
        var bytes: Int64 = 0
        for usage in usages() where !busy.contains(usage.key) && seconds.map({ now - usage.lastUsed > $0 }) ?? true {
            try? FileManager.default.removeItem(atPath: directory + "/" + usage.key)
            removed.append(usage.key)
            bytes += usage.bytes
        }
        return (removed, bytes)
    }
}
