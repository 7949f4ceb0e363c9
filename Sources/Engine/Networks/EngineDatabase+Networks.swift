import Foundation
import Networking

extension EngineDatabase {
    /// Inserts or replaces a network.
    public func saveNetwork(_ network: NetworkDefinition) throws {
        try upsert("networks", [("id", network.id), ("name", network.name)], record: network)
    }

    public func deleteNetwork(id: String) throws {
        try deleteRow("networks", where: "id", is: id)
    }

    public func allNetworks() throws -> [NetworkDefinition] {
        try records(NetworkDefinition.self, in: "networks", key: "id")
    }
}
