import DockerAPI
import Engine
import Foundation
import ImageStore

/// `docker cp` (`/containers/{id}/archive`), `docker export` and `docker commit`.
struct ArchiveRoutes: Sendable {
    let engine: Engine

    static func statHeader(_ stat: PathStat) -> (String, String) {
        let data = (try? JSONEncoder().encode(stat)) ?? Data()
        return ("X-Docker-Container-Path-Stat", data.base64EncodedString())
    }

    func head(_ request: APIRequest) async throws -> APIResponse {
        guard let path = request.string("path"), !path.isEmpty else { throw EngineError(.invalidParameter, "path is required") }
        let stat = try await engine.statPath(request.parameter("id"), path: path)
        return .body(.ok, contentType: nil, [], headers: [Self.statHeader(stat)])
    }

    func get(_ request: APIRequest) async throws -> APIResponse {
        guard let path = request.string("path"), !path.isEmpty else { throw EngineError(.invalidParameter, "path is required") }
        let output = engine.configuration.execRoot + "/tmp/archive-" + UUID().uuidString + ".tar"
        let stat: PathStat
        do { stat = try await engine.archivePath(request.parameter("id"), path: path, into: output) } catch {
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
        return Self.file(output, contentType: "application/x-tar", headers: [Self.statHeader(stat)])
    }

    /// Streams a temporary file and removes it.
    static func file(_ path: String, contentType: String, headers: [(String, String)] = []) -> APIResponse {
        .stream(.ok, contentType: contentType, headers: headers) { writer in
            defer { try? FileManager.default.removeItem(atPath: path) }
            guard let handle = FileHandle(forReadingAtPath: path) else { return }
            defer { try? handle.close() }
            while true {
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                try await writer.write([UInt8](chunk))
            }
        }
    }

    func put(_ request: APIRequest) async throws -> APIResponse {
        guard let path = request.string("path"), !path.isEmpty else { throw EngineError(.invalidParameter, "path is required") }
        let (file, temporary) = try ImageRoutes.bodyFile(request, engine: engine)
        defer { if temporary { try? FileManager.default.removeItem(atPath: file) } }
        try await engine.extractArchive(request.parameter("id"), path: path, archive: file)
        return .body(.ok, contentType: nil, [])
    }

    func export(_ request: APIRequest) async throws -> APIResponse {
        let output = engine.configuration.execRoot + "/tmp/export-" + UUID().uuidString + ".tar"
        do { try await engine.exportContainer(request.parameter("id"), into: output) } catch {
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
        return Self.file(output, contentType: "application/x-tar")
    }

    func commit(_ request: APIRequest) async throws -> APIResponse {
        guard let container = request.string("container"), !container.isEmpty else {
            throw EngineError(.invalidParameter, "container is required")
        }
        let overrides: ContainerConfig? = try? request.json(ContainerConfig.self)
        let changes = try ImageChangeParser.parse(request.query["changes"] ?? [])
        let pause = request.string("pause").map { $0 != "0" && $0.lowercased() != "false" } ?? true
        let id = try await engine.commitContainer(container, repository: request.string("repo"), tag: request.string("tag"),
                                                  comment: request.string("comment"), author: request.string("author"),
                                                  changes: changes, overrides: overrides, pause: pause)
        return .json(IDResponse(id: id), status: .created)
    }
}
