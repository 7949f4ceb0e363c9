import Foundation
import GRDB
import Networking

extension EngineDatabase {
    /// Inserts or replaces a network.
    public func saveNetwork(_ network: NetworkDefinition) throws {
        let data = try Self.encoder.encode(network)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO networks (id, name, record) VALUES (?, ?, ?)",
                           arguments: [network.id, network.name, data])
        }
    }

    public func deleteNetwork(id: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM networks WHERE id = ?", arguments: [id]) }
    }

    public func allNetworks() throws -> [NetworkDefinition] {
        let rows = try pool.read { db in try Row.fetchAll(db, sql: "SELECT record FROM networks") }
        return try rows.map { try JSONDecoder().decode(NetworkDefinition.self, from: $0["record"] as Data) }
    }
}
