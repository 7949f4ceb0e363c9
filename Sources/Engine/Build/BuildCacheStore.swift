import Foundation
import GRDB
import OCI

/// The build cache in `berth.db` (table `build_cache`): a step's cache key → the image it produced
/// (by manifest digest). Each row's image is held by a `build` reference named `cache:<key>`, so
/// garbage collection keeps it and `POST /build/prune` frees it. Survives daemon restarts.
public final class BuildCacheStore: Sendable {
    let pool: DatabasePool

    /// One cached step.
    public struct Entry: Sendable, Equatable {
        /// The step's cache key (hex).
        public var key: String
        /// The manifest of the step's image.
        public var manifest: Descriptor
        /// When it was last used (seconds since 1970).
        public var lastUsed: Double
    }

    /// Opens the cache's table on `pool` (creating it when missing).
    public init(pool: DatabasePool) throws {
        self.pool = pool
        var migrator = DatabaseMigrator()
        migrator.registerMigration("build-cache-v1") { db in
            try db.execute(sql: """
                CREATE TABLE build_cache (
                    key TEXT PRIMARY KEY NOT NULL,
                    manifest TEXT NOT NULL,
                    mediaType TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    createdAt REAL NOT NULL,
                    lastUsed REAL NOT NULL
                );
                """)
        }
        try migrator.migrate(pool)
    }

    /// The reference ID holding the image of `key`.
    public static func holder(_ key: String) -> String { "cache:" + key }

    /// The entry for `key`, marking it used.
    public func lookup(_ key: String) throws -> Entry? {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM build_cache WHERE key = ?", arguments: [key]) else { return nil }
            try db.execute(sql: "UPDATE build_cache SET lastUsed = ? WHERE key = ?", arguments: [Date().timeIntervalSince1970, key])
            return try Self.entry(row)
        }
    }

    /// Records `manifest` for `key` with its reference, in one transaction.
    public func store(_ key: String, manifest: Descriptor) throws {
        let now = Date().timeIntervalSince1970
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO build_cache (key, manifest, mediaType, size, createdAt, lastUsed) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [key, manifest.digest.string, manifest.mediaType, manifest.size, now, now])
            try db.execute(sql: """
                INSERT OR IGNORE INTO "references" (kind, id, target, createdAt) VALUES ('build', ?, ?, ?)
                """, arguments: [Self.holder(key), manifest.digest.string, now])
        }
    }

    /// Every entry.
    public func all() throws -> [Entry] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM build_cache").map(Self.entry) }
    }

    /// Removes the entries `keys` and their references.
    public func remove(_ keys: [String]) throws {
        try pool.write { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM build_cache WHERE key = ?", arguments: [key])
                try db.execute(sql: "DELETE FROM \"references\" WHERE kind = 'build' AND id = ?", arguments: [Self.holder(key)])
            }
        }
    }

    private static func entry(_ row: Row) throws -> Entry {
        let digest = try Digest(parsing: row["manifest"] as String)
        return Entry(key: row["key"], manifest: Descriptor(mediaType: row["mediaType"], digest: digest, size: row["size"]),
                     lastUsed: row["lastUsed"])
    }
}
