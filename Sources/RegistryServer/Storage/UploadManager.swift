import Foundation
import OCI

/// One upload in progress: its repository, data file and hash state.
/// Held by one request at a time (checked out of ``UploadManager``).
final class UploadSession: @unchecked Sendable {
    /// The upload's UUID (its directory name under `uploads/`).
    let id: String
    /// The repository it was started in.
    let repository: String
    /// When it was started.
    let started: Date
    /// The data file.
    let dataPath: String
    /// The directory holding the data and state.
    let directory: String
    /// Bytes received and their running hash.
    var writer: DigestingWriter

    init(id: String, repository: String, started: Date, directory: String, writer: DigestingWriter) {
        self.id = id
        self.repository = repository
        self.started = started
        self.directory = directory
        self.dataPath = "\(directory)/data"
        self.writer = writer
    }

    /// Bytes received so far.
    var offset: Int64 { writer.length }
}

/// The uploads in progress. State is on disk (`uploads/<uuid>/state.json` and `data`), so an upload
/// survives a restart and resumes (its hash is then recomputed from the data at the end); the running
/// hash of uploads this process has seen is kept in memory.
actor UploadManager {
    private struct State: Codable { var repository: String; var started: Date }

    private let storage: RegistryStorage
    /// Sessions not currently held by a request.
    private var idle: [String: UploadSession] = [:]
    /// Sessions a request is working on.
    private var busy: Set<String> = []

    /// The most uploads this process keeps open at once; more get 429 TOOMANYREQUESTS.
    private let limit: Int

    init(storage: RegistryStorage, limit: Int = 1000) {
        self.storage = storage
        self.limit = limit
    }

    /// Starts an upload in `repository` and checks it out to the caller.
    func start(repository: String) throws -> UploadSession {
        if busy.count + idle.count >= limit {
            // Forget uploads gc has removed, and idle ones older than a day (their state stays on disk).
            let old = Date().addingTimeInterval(-86_400)
            idle = idle.filter { access($0.value.directory, F_OK) == 0 && $0.value.started > old }
        }
        guard busy.count + idle.count < limit else {
            throw RegistryError(.tooManyRequests, "too many uploads in progress", detail: "limit \(limit)")
        }
        let id = UUID().uuidString.lowercased()
        let directory = "\(storage.uploadsPath)/\(id)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let state = State(repository: repository, started: Date())
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try storage.writeFile("\(directory)/state.json", try encoder.encode(state))
        let session = UploadSession(id: id, repository: repository, started: state.started, directory: directory, writer: DigestingWriter())
        busy.insert(id)
        return session
    }

    /// Checks out an upload of `repository` for one request. Unknown uploads (or another repository's)
    /// are BLOB_UPLOAD_UNKNOWN; one that another request holds is BLOB_UPLOAD_INVALID.
    func checkout(_ id: String, repository: String) throws -> UploadSession {
        guard Self.isValidID(id) else { throw RegistryError(.blobUploadUnknown, "upload unknown", detail: id) }
        if busy.contains(id) {
            throw RegistryError(.blobUploadInvalid, "another request is writing to this upload", detail: id)
        }
        let session: UploadSession
        if let known = idle.removeValue(forKey: id) {
            // gc may have removed an abandoned upload this process still remembers.
            guard access(known.directory, F_OK) == 0 else {
                throw RegistryError(.blobUploadUnknown, "upload unknown", detail: id)
            }
            session = known
        } else {
            session = try load(id)
        }
        guard session.repository == repository else {
            idle[id] = session
            throw RegistryError(.blobUploadUnknown, "upload unknown in this repository", detail: id)
        }
        busy.insert(id)
        return session
    }

    /// Returns a session after a request (keeps its hash state for the next chunk).
    func checkin(_ session: UploadSession) {
        busy.remove(session.id)
        idle[session.id] = session
    }

    /// Forgets a session and deletes its files (finished, cancelled or failed for good).
    func remove(_ session: UploadSession) {
        busy.remove(session.id)
        idle.removeValue(forKey: session.id)
        try? FileManager.default.removeItem(atPath: session.directory)
    }

    /// Reads an upload left by an earlier process.
    private func load(_ id: String) throws -> UploadSession {
        let directory = "\(storage.uploadsPath)/\(id)"
        guard let data = FileManager.default.contents(atPath: "\(directory)/state.json") else {
            throw RegistryError(.blobUploadUnknown, "upload unknown", detail: id)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let state = try? decoder.decode(State.self, from: data) else {
            throw RegistryError(.blobUploadUnknown, "upload state unreadable", detail: id)
        }
        var info = stat()
        let length: Int64 = stat("\(directory)/data", &info) == 0 ? Int64(info.st_size) : 0
        return UploadSession(id: id, repository: state.repository, started: state.started, directory: directory,
                             writer: DigestingWriter(resumingAt: length))
    }

    /// Upload IDs are lowercase UUIDs; anything else never reaches the filesystem.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 36 && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || $0 == 45 }
    }
}
