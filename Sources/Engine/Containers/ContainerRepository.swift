import Foundation
import GRDB

/// Containers and volumes in the engine's tables of `berth.db` (the image store's database):
/// one row per container holding its record as JSON, name unique. Every change is one
/// transaction, so a kill -9 of the daemon leaves either the old or the new record.
public final class EngineDatabase: Sendable {
    let pool: DatabasePool

    public init(pool: DatabasePool) throws {
        self.pool = pool
        var migrator = DatabaseMigrator()
        migrator.registerMigration("engine-v1") { db in
            try db.execute(sql: """
                CREATE TABLE containers (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    record BLOB NOT NULL
                );
                CREATE TABLE volumes (
                    name TEXT PRIMARY KEY NOT NULL,
                    record BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("engine-v2-networks") { db in
            try db.execute(sql: """
                CREATE TABLE networks (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    record BLOB NOT NULL
                );
                """)
        }
        try migrator.migrate(pool)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Inserts or replaces `record`.
    public func save(_ record: ContainerRecord) throws {
        let data = try Self.encoder.encode(record)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO containers (id, name, record) VALUES (?, ?, ?)",
                           arguments: [record.id, record.name, data])
        }
    }

    public func delete(containerID: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM containers WHERE id = ?", arguments: [containerID]) }
    }

    /// Every stored container; a row that no longer decodes is reported, not hidden.
    public func allContainers() throws -> [ContainerRecord] {
        let rows = try pool.read { db in try Row.fetchAll(db, sql: "SELECT id, record FROM containers") }
        let decoder = JSONDecoder()
        return try rows.map { row in
            let data: Data = row["record"]
            do { return try decoder.decode(ContainerRecord.self, from: data) } catch {
                throw EngineError.system("container \(row["id"] as String? ?? "?"): stored record is unreadable: \(error)")
            }
        }
    }

    public func saveVolume(_ record: VolumeRecord) throws {
        let data = try Self.encoder.encode(record)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO volumes (name, record) VALUES (?, ?)", arguments: [record.name, data])
        }
    }

    public func deleteVolume(_ name: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM volumes WHERE name = ?", arguments: [name]) }
    }

    public func allVolumes() throws -> [VolumeRecord] {
        let rows = try pool.read { db in try Row.fetchAll(db, sql: "SELECT record FROM volumes") }
        return try rows.map { try JSONDecoder().decode(VolumeRecord.self, from: $0["record"] as Data) }
    }
}
