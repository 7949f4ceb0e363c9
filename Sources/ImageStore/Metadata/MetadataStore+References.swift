import Foundation
import GRDB
import OCI

/// Snapshot rows and the references (containers, builds, leases) that are GC roots.
extension MetadataStore {
    /// Records (or updates) snapshot `record`.
    public func putSnapshot(_ record: SnapshotRecord) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO snapshots (chainID, parent, size, state, createdAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [record.chainID.string, record.parent?.string, record.size, record.state.rawValue,
                                 record.createdAt.timeIntervalSince1970])
        }
    }

    /// Snapshot `chainID`'s row, or nil.
    public func snapshot(chainID: Digest) throws -> SnapshotRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM snapshots WHERE chainID = ?", arguments: [chainID.string]).map(Self.snapshot)
        }
    }

    /// Every snapshot row.
    public func snapshots() throws -> [SnapshotRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM snapshots ORDER BY chainID").map(Self.snapshot)
        }
    }

    /// Forgets snapshot `chainID`.
    public func deleteSnapshot(chainID: Digest) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM snapshots WHERE chainID = ?", arguments: [chainID.string])
        }
    }

    /// Records that `kind`/`id` holds `target` (a blob digest or a chain ID).
    public func addReference(kind: ReferenceKind, id: String, target: Digest) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO "references" (kind, id, target, createdAt) VALUES (?, ?, ?, ?)
                """, arguments: [kind.rawValue, id, target.string, Date().timeIntervalSince1970])
        }
    }

    /// Drops what `kind`/`id` holds: only `target` when given, else all of it. Returns the rows removed.
    @discardableResult
    public func removeReference(kind: ReferenceKind, id: String, target: Digest? = nil) throws -> Int {
        try database.write { db in
            if let target {
                try db.execute(sql: #"DELETE FROM "references" WHERE kind = ? AND id = ? AND target = ?"#,
                               arguments: [kind.rawValue, id, target.string])
            } else {
                try db.execute(sql: #"DELETE FROM "references" WHERE kind = ? AND id = ?"#, arguments: [kind.rawValue, id])
            }
            return db.changesCount
        }
    }

    /// Every reference, or those of `kind`.
    public func references(kind: ReferenceKind? = nil) throws -> [StoreReference] {
        try database.read { db in
            let rows = if let kind {
                try Row.fetchAll(db, sql: #"SELECT * FROM "references" WHERE kind = ? ORDER BY kind, id, target"#, arguments: [kind.rawValue])
            } else {
                try Row.fetchAll(db, sql: #"SELECT * FROM "references" ORDER BY kind, id, target"#)
            }
            return try rows.map { row in
                let kindText: String = row["kind"]
                guard let kind = ReferenceKind(rawValue: kindText) else {
                    throw MetadataError.invalidRow(table: "references", column: "kind", value: kindText)
                }
                return StoreReference(kind: kind, id: row["id"], target: try Self.digest(row, "target", table: "references"),
                                      createdAt: Self.date(row, "createdAt"))
            }
        }
    }

    static func snapshot(_ row: Row) throws -> SnapshotRecord {
        let stateText: String = row["state"]
        guard let state = SnapshotState(rawValue: stateText) else {
            throw MetadataError.invalidRow(table: "snapshots", column: "state", value: stateText)
        }
        return SnapshotRecord(
            chainID: try digest(row, "chainID", table: "snapshots"), parent: try optionalDigest(row, "parent", table: "snapshots"),
            size: row["size"], state: state, createdAt: date(row, "createdAt"))
    }
}
