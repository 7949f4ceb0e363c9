import Foundation
import GRDB

/// The engine's tables share one shape: key columns and the record as JSON. These are the
/// three operations on such a row.
extension EngineDatabase {
    /// Inserts or replaces a row: `columns` (name, value) and the record encoded as JSON.
    func upsert<T: Encodable>(_ table: String, _ columns: [(String, String)], record: T) throws {
        let data = try Self.encoder.encode(record)
        let names = columns.map(\.0) + ["record"]
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        var arguments = StatementArguments(columns.map(\.1))
        arguments += [data]
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks))", arguments: arguments)
        }
    }

    /// Deletes the row whose `column` is `value`.
    func deleteRow(_ table: String, where column: String, is value: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM \(table) WHERE \(column) = ?", arguments: [value]) }
    }

    /// Every record of `table`; a row that no longer decodes is reported with its key, not hidden.
    func records<T: Decodable>(_ type: T.Type, in table: String, key: String) throws -> [T] {
        let rows = try pool.read { db in try Row.fetchAll(db, sql: "SELECT \(key), record FROM \(table)") }
        let decoder = JSONDecoder()
        return try rows.map { row in
            do { return try decoder.decode(T.self, from: row["record"] as Data) } catch {
                throw EngineError.system("\(table) row \(row[key] as String? ?? "?"): stored record is unreadable: \(error)")
            }
        }
    }
}
