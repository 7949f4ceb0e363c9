import Foundation
import GRDB
import OCI

/// Images by name: put, get, list, tag, untag, delete; dangling records; the in-use rule.
extension MetadataStore {
    /// Points `name` at `target`. If `name` pointed at another image that no other name
    /// targets, that image stays as a dangling record (docker's `<none>`).
    @discardableResult
    public func putImage(name: String, target: Descriptor, labels: [String: String] = [:], createdAt: Date = Date()) throws -> ImageRecord {
        let record = ImageRecord(name: name, target: target, createdAt: createdAt, labels: labels)
        try database.write { db in try Self.store(record, db) }
        return record
    }

    /// The image named `name`, or nil.
    public func image(named name: String) throws -> ImageRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM images WHERE key = ?", arguments: [name]).map(Self.image)
        }
    }

    /// Every image record, by name; dangling ones (name nil) too when `includeDangling`.
    public func images(includeDangling: Bool = false) throws -> [ImageRecord] {
        try database.read { db in
            let filter = includeDangling ? "" : "WHERE name IS NOT NULL"
            return try Row.fetchAll(db, sql: "SELECT * FROM images \(filter) ORDER BY key").map(Self.image)
        }
    }

    /// Only the dangling (untagged) image records.
    public func danglingImages() throws -> [ImageRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM images WHERE name IS NULL ORDER BY key").map(Self.image)
        }
    }

    /// Every image record whose target is `digest` or contains it: an index's manifest,
    /// a manifest's config, layer blob, diff ID or chain ID.
    public func imagesReferencing(digest: Digest) throws -> [ImageRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                WITH RECURSIVE up(d) AS (
                    VALUES (?)
                    UNION SELECT l.manifestDigest FROM layers l, up
                        WHERE l.digest = up.d OR l.diffID = up.d OR l.chainID = up.d
                    UNION SELECT m.digest FROM manifests m, up WHERE m.configDigest = up.d
                    UNION SELECT c.indexDigest FROM index_children c, up WHERE c.manifestDigest = up.d
                )
                SELECT * FROM images WHERE digest IN (SELECT d FROM up) ORDER BY key
                """, arguments: [digest.string]).map(Self.image)
        }
    }

    /// Names `target` the same image as `source` (a copy: later changes to one name leave the other).
    @discardableResult
    public func tag(source: String, target: String) throws -> ImageRecord {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM images WHERE name = ?", arguments: [source]) else {
                throw MetadataError.imageNotFound(source)
            }
            var record = try Self.image(row)
            record.name = target
            try Self.store(record, db)
            return record
        }
    }

    /// Removes the name `name`. If it was the image's last name the image stays as a dangling
    /// record; that is refused (`MetadataError.inUse`) when a container uses it, unless `force`.
    public func untag(_ name: String, force: Bool = false) throws {
        try database.write { db in
            let record = try Self.named(name, db)
            if try Self.isLastName(record, db), !force, let container = try Self.containerUsing(record.target.digest, db) {
                throw MetadataError.inUse(image: name, container: container)
            }
            try db.execute(sql: "DELETE FROM images WHERE key = ?", arguments: [name])
            try Self.keepDanglingIfOrphaned(record, db)
        }
    }

    /// Removes the name `name`, and the image with it when it was the last name (its blobs
    /// are left to garbage collection). Refused with `MetadataError.inUse` when a container
    /// uses that last-named image, unless `force`, which keeps it as a dangling record.
    public func deleteImage(named name: String, force: Bool = false) throws {
        try database.write { db in
            let record = try Self.named(name, db)
            try db.execute(sql: "DELETE FROM images WHERE key = ?", arguments: [name])
            guard try Self.isLastName(record, db, alreadyRemoved: true) else { return }
            if let container = try Self.containerUsing(record.target.digest, db) {
                guard force else { throw MetadataError.inUse(image: name, container: container) }
                try Self.keepDanglingIfOrphaned(record, db)
            }
        }
    }

    /// Removes every name and the dangling record of image `digest`; refused when a container
    /// uses it, unless `force`. Returns the names removed.
    @discardableResult
    public func deleteImage(digest: Digest, force: Bool = false) throws -> [String] {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM images WHERE digest = ?", arguments: [digest.string])
            guard !rows.isEmpty else { throw MetadataError.digestNotFound(digest) }
            let names = rows.compactMap { $0["name"] as String? }
            if !force, let container = try Self.containerUsing(digest, db) {
                throw MetadataError.inUse(image: names.first ?? digest.string, container: container)
            }
            try db.execute(sql: "DELETE FROM images WHERE digest = ?", arguments: [digest.string])
            return names
        }
    }

    // MARK: helpers (inside a transaction)

    static func store(_ record: ImageRecord, _ db: Database) throws {
        guard let name = record.name else { return }
        let previous = try Row.fetchOne(db, sql: "SELECT * FROM images WHERE key = ?", arguments: [name]).map(image)
        let labels = String(decoding: try JSONEncoder().encode(record.labels), as: UTF8.self)
        try db.execute(sql: """
            INSERT OR REPLACE INTO images (key, name, digest, mediaType, size, createdAt, labels)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [name, name, record.target.digest.string, record.target.mediaType,
                             record.target.size, record.createdAt.timeIntervalSince1970, labels])
        try db.execute(sql: "DELETE FROM images WHERE key = ?", arguments: [danglingKey(record.target.digest)])
        if let previous, previous.target.digest != record.target.digest {
            try keepDanglingIfOrphaned(previous, db)
        }
    }

    /// Records `record`'s image as dangling when no other row targets its digest any more.
    static func keepDanglingIfOrphaned(_ record: ImageRecord, _ db: Database) throws {
        let others = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images WHERE digest = ?", arguments: [record.target.digest.string]) ?? 0
        guard others == 0 else { return }
        let labels = String(decoding: try JSONEncoder().encode(record.labels), as: UTF8.self)
        try db.execute(sql: """
            INSERT OR REPLACE INTO images (key, name, digest, mediaType, size, createdAt, labels)
            VALUES (?, NULL, ?, ?, ?, ?, ?)
            """, arguments: [danglingKey(record.target.digest), record.target.digest.string, record.target.mediaType,
                             record.target.size, record.createdAt.timeIntervalSince1970, labels])
    }

    static func danglingKey(_ digest: Digest) -> String { "dangling@" + digest.string }

    static func named(_ name: String, _ db: Database) throws -> ImageRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM images WHERE name = ?", arguments: [name]) else {
            throw MetadataError.imageNotFound(name)
        }
        return try image(row)
    }

    /// True when no other name targets `record`'s digest.
    static func isLastName(_ record: ImageRecord, _ db: Database, alreadyRemoved: Bool = false) throws -> Bool {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images WHERE digest = ? AND name IS NOT NULL",
                                     arguments: [record.target.digest.string]) ?? 0
        return count == (alreadyRemoved ? 0 : 1)
    }

    /// The ID of a container referencing image `digest` (the index, one of its manifests, or a config).
    static func containerUsing(_ digest: Digest, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: """
            WITH RECURSIVE reach(d) AS (
                VALUES (?)
                UNION SELECT c.manifestDigest FROM index_children c, reach WHERE c.indexDigest = reach.d
                UNION SELECT m.configDigest FROM manifests m, reach WHERE m.digest = reach.d
            )
            SELECT id FROM "references" WHERE kind = 'container' AND target IN (SELECT d FROM reach)
            ORDER BY id LIMIT 1
            """, arguments: [digest.string])
    }

    static func image(_ row: Row) throws -> ImageRecord {
        let target = Descriptor(mediaType: row["mediaType"], digest: try digest(row, "digest", table: "images"), size: row["size"])
        let labelsText: String = row["labels"]
        let labels = (try? JSONDecoder().decode([String: String].self, from: Data(labelsText.utf8))) ?? [:]
        return ImageRecord(name: row["name"], target: target, createdAt: date(row, "createdAt"), labels: labels)
    }
}
