import Foundation
import GRDB
import OCI

/// Image metadata in SQLite (`root/berth.db`) through GRDB: images by name, the manifests,
/// layers and snapshots they use, and the references (containers, builds, leases) that are
/// garbage-collection roots. A `DatabasePool` (WAL): lists and inspects read concurrently
/// while a pull writes. Sendable; every method is one transaction.
public final class MetadataStore: Sendable {
    /// The database.
    public let database: DatabasePool

    /// Opens (creating and migrating if needed) `root/berth.db`.
    public convenience init(root: String) throws {
        try StoreFS.makeDirectories(root)
        try self.init(database: DatabasePool(path: root + "/berth.db", configuration: Self.configuration))
    }

    /// WAL with synchronous=NORMAL: a commit is not fsynced (checkpoints are), so a container
    /// start, exit and removal do not each wait for the disk (~0.3–0.7 ms apiece here). A
    /// crash of the daemon loses nothing (the WAL is in the page cache); a power loss may roll
    /// back the last transactions but never corrupts the database — SQLite's advice for WAL.
    /// Blobs and layers are written and fsynced before any row refers to them, so a rolled-back
    /// row leaves at most unreferenced content for gc.
    public static var configuration: Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return configuration
    }

    /// Uses an already open database (shared with the engine's own tables) and applies
    /// the image store's migrations to it.
    public init(database: DatabasePool) throws {
        self.database = database
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("imagestore-v1") { db in
            try db.execute(sql: """
                CREATE TABLE images (
                    key TEXT PRIMARY KEY NOT NULL,      -- the name, or "dangling@<digest>"
                    name TEXT UNIQUE,                   -- NULL for a dangling image
                    digest TEXT NOT NULL,
                    mediaType TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    labels TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX images_digest ON images(digest);
                CREATE TABLE manifests (
                    digest TEXT PRIMARY KEY NOT NULL,
                    mediaType TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    configDigest TEXT NOT NULL,
                    platform TEXT
                );
                CREATE INDEX manifests_config ON manifests(configDigest);
                CREATE TABLE index_children (
                    indexDigest TEXT NOT NULL,
                    manifestDigest TEXT NOT NULL,
                    platform TEXT,
                    PRIMARY KEY (indexDigest, manifestDigest)
                );
                CREATE INDEX index_children_manifest ON index_children(manifestDigest);
                CREATE TABLE layers (
                    manifestDigest TEXT NOT NULL REFERENCES manifests(digest) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    mediaType TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    diffID TEXT NOT NULL,
                    chainID TEXT NOT NULL,
                    PRIMARY KEY (manifestDigest, position)
                );
                CREATE INDEX layers_digest ON layers(digest);
                CREATE INDEX layers_chain ON layers(chainID);
                CREATE TABLE snapshots (
                    chainID TEXT PRIMARY KEY NOT NULL,
                    parent TEXT,
                    size INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'committed')),
                    createdAt DOUBLE NOT NULL
                );
                CREATE TABLE "references" (
                    kind TEXT NOT NULL CHECK (kind IN ('container', 'build', 'lease')),
                    id TEXT NOT NULL,
                    target TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (kind, id, target)
                );
                CREATE INDEX references_target ON "references"(target);
                """)
        }
        return migrator
    }

    // MARK: row decoding

    static func digest(_ row: Row, _ column: String, table: String) throws -> Digest {
        let text: String = row[column]
        guard let digest = try? Digest(parsing: text) else {
            throw MetadataError.invalidRow(table: table, column: column, value: text)
        }
        return digest
    }

    static func optionalDigest(_ row: Row, _ column: String, table: String) throws -> Digest? {
        guard (row[column] as String?) != nil else { return nil }
        return try digest(row, column, table: table)
    }

    static func date(_ row: Row, _ column: String) -> Date {
        Date(timeIntervalSince1970: row[column])
    }
}
