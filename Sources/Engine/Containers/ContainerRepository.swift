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
        try upsert("containers", [("id", record.id), ("name", record.name)], record: record)
    }

    public func delete(containerID: String) throws {
        try deleteRow("containers", where: "id", is: containerID)
    }

    /// Every stored container; a row that no longer decodes is reported, not hidden.
    public func allContainers() throws -> [ContainerRecord] {
        try records(ContainerRecord.self, in: "containers", key: "id")
    }

    public func saveVolume(_ record: VolumeRecord) throws {
        try upsert("volumes", [("name", record.name)], record: record)
    }

    public func deleteVolume(_ name: String) throws {
        try deleteRow("volumes", where: "name", is: name)
    }

    public func allVolumes() throws -> [VolumeRecord] {
        try records(VolumeRecord.self, in: "volumes", key: "name")
    }
}
