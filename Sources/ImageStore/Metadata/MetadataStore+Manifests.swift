import Foundation
import GRDB
import OCI

/// Indexes and manifests known to the store, with each manifest's ordered layers.
extension MetadataStore {
    /// Records that index `digest` lists `children` (manifest digest and platform, e.g. `linux/amd64`).
    public func putIndex(digest: Digest, children: [(manifest: Digest, platform: String?)]) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM index_children WHERE indexDigest = ?", arguments: [digest.string])
            for child in children {
                try db.execute(sql: "INSERT OR REPLACE INTO index_children (indexDigest, manifestDigest, platform) VALUES (?, ?, ?)",
                               arguments: [digest.string, child.manifest.string, child.platform])
            }
        }
    }

    /// The manifests index `digest` lists, with their platforms.
    public func indexChildren(of digest: Digest) throws -> [(manifest: Digest, platform: String?)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM index_children WHERE indexDigest = ? ORDER BY rowid", arguments: [digest.string]).map {
                (try Self.digest($0, "manifestDigest", table: "index_children"), $0["platform"] as String?)
            }
        }
    }

    /// Records manifest `record` with its layers (replacing an earlier record of it).
    public func putManifest(_ record: ManifestRecord) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM layers WHERE manifestDigest = ?", arguments: [record.digest.string])
            try db.execute(sql: """
                INSERT OR REPLACE INTO manifests (digest, mediaType, size, configDigest, platform) VALUES (?, ?, ?, ?, ?)
                """, arguments: [record.digest.string, record.mediaType, record.size, record.config.string, record.platform])
            for (position, layer) in record.layers.enumerated() {
                try db.execute(sql: """
                    INSERT INTO layers (manifestDigest, position, digest, mediaType, size, diffID, chainID)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.digest.string, position, layer.blob.digest.string, layer.blob.mediaType,
                                     layer.blob.size, layer.diffID.string, layer.chainID.string])
            }
        }
    }

    /// Manifest `digest` with its layers, or nil.
    public func manifest(digest: Digest) throws -> ManifestRecord? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM manifests WHERE digest = ?", arguments: [digest.string]) else {
                return nil
            }
            let layers = try Row.fetchAll(db, sql: "SELECT * FROM layers WHERE manifestDigest = ? ORDER BY position",
                                          arguments: [digest.string]).map { row in
                LayerRecord(
                    blob: Descriptor(mediaType: row["mediaType"], digest: try Self.digest(row, "digest", table: "layers"), size: row["size"]),
                    diffID: try Self.digest(row, "diffID", table: "layers"),
                    chainID: try Self.digest(row, "chainID", table: "layers"))
            }
            return ManifestRecord(
                digest: digest, mediaType: row["mediaType"], size: row["size"],
                config: try Self.digest(row, "configDigest", table: "manifests"), platform: row["platform"], layers: layers)
        }
    }

    /// Digests of every recorded manifest.
    public func manifestDigests() throws -> [Digest] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT digest FROM manifests ORDER BY digest").map { try Self.digest($0, "digest", table: "manifests") }
        }
    }

    /// Forgets manifest or index `digest` (its layer rows and index entries go with it).
    public func deleteManifest(digest: Digest) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM layers WHERE manifestDigest = ?", arguments: [digest.string])
            try db.execute(sql: "DELETE FROM manifests WHERE digest = ?", arguments: [digest.string])
            try db.execute(sql: "DELETE FROM index_children WHERE indexDigest = ?", arguments: [digest.string])
        }
    }
}
