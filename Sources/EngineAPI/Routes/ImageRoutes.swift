import DockerAPI
import Engine
import Foundation
import ImageStore
import OCI

/// `/images/...`: list, inspect, tag, remove, history, load, save, import, prune.
struct ImageRoutes: Sendable {
    let engine: Engine

    func summary(_ view: ImageView, containers: Int) -> ImageSummary {
        ImageSummary(id: view.id, repoTags: Self.tags(view), repoDigests: Self.digests(view),
                     created: view.created.seconds, size: view.size, labels: view.labels, containers: Int64(containers))
    }

    /// The names that are tags (familiar form); names pinned by digest (a pull by digest) are repo digests.
    static func tags(_ view: ImageView) -> [String] {
        view.names.filter { !$0.contains("@") }.map(Engine.familiarName).sorted()
    }

    /// The `repo@digest` names.
    static func digests(_ view: ImageView) -> [String] {
        view.names.filter { $0.contains("@") }.map(Engine.familiarName).sorted()
    }

    func list(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        var views = try await engine.imageViews()
        if !request.bool("all") && filters["dangling"] == nil { views = views.filter { !$0.names.isEmpty } }
        for (key, values) in filters where !values.isEmpty {
            switch key {
            case "dangling":
                let dangling = values.contains { ["1", "true"].contains($0.lowercased()) }
                views = views.filter { $0.names.isEmpty == dangling }
            case "label": views = views.filter { v in values.allSatisfy { ContainerFilter.labelMatches(v.labels, $0) } }
            case "reference":
                views = views.filter { v in values.contains { pattern in v.names.map(Engine.familiarName).contains { Self.referenceMatches($0, pattern) } } }
            case "before", "since":
                guard let pivot = try? await engine.imageView(values[0]) else { throw EngineError(.notFound, "No such image: \(values[0])") }
                views = views.filter { key == "before" ? $0.created < pivot.created : $0.created > pivot.created }
            default: throw EngineError(.invalidParameter, "invalid filter '\(key)'")
            }
        }
        let containers = await engine.allContainers()
        return .json(views.map { v in summary(v, containers: containers.filter { $0.imageID == v.id }.count) })
    }

    /// `busybox`, `busybox:*`, `busy*` style reference filters.
    static func referenceMatches(_ name: String, _ pattern: String) -> Bool {
        let repo = name.split(separator: ":").first.map(String.init) ?? name
        if !pattern.contains("*") { return name == pattern || repo == pattern || name == pattern + ":latest" }
        let target = pattern.contains(":") ? name : repo
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(target)
        for (i, part) in parts.enumerated() {
            if part.isEmpty { continue }
            guard let range = rest.range(of: part) else { return false }
            if i == 0 && range.lowerBound != rest.startIndex { return false }
            rest = rest[range.upperBound...]
        }
        return parts.last == "" || rest.isEmpty
    }

    func inspect(_ request: APIRequest) async throws -> APIResponse {
        let view = try await engine.imageView(request.parameter("name"))
        let c = view.resolved.config
        let cc = c.config
        let config = DockerAPI.ImageConfig(user: cc?.user, env: cc?.env, cmd: cc?.cmd, workingDir: cc?.workingDir,
                                           entrypoint: cc?.entrypoint, labels: cc?.labels)
        var inspect = ImageInspect(id: view.id, repoTags: Self.tags(view), repoDigests: Self.digests(view),
                                   created: c.created, config: config, architecture: c.architecture, os: c.os, size: view.size,
                                   rootFS: .init(type: "layers", layers: view.resolved.diffIDs.map(\.string)))
        inspect.config?.exposedPorts = cc?.exposedPorts.map { Dictionary(uniqueKeysWithValues: $0.keys.map { ($0, EmptyObject()) }) }
        inspect.config?.volumes = cc?.volumes.map { Dictionary(uniqueKeysWithValues: $0.keys.map { ($0, EmptyObject()) }) }
        inspect.config?.stopSignal = cc?.stopSignal
        inspect.config?.shell = cc?.shell
        inspect.config?.onBuild = cc?.onBuild
        inspect.author = c.author
        inspect.variant = c.variant
        inspect.comment = c.history?.last?.comment
        inspect.graphDriver = GraphDriver(name: "overlay2", data: nil)
        inspect.metadata = .init(lastTagTime: "0001-01-01T00:00:00Z")
        return .json(inspect)
    }

    func history(_ request: APIRequest) async throws -> APIResponse {
        let view = try await engine.imageView(request.parameter("name"))
        let c = view.resolved.config
        var items: [HistoryItem] = []
        var layerIndex = 0
        let layers = await engine.layerSizes(view.resolved)
        for (i, h) in (c.history ?? []).enumerated() {
            var size: Int64 = 0
            if h.emptyLayer != true, layerIndex < layers.count { size = layers[layerIndex]; layerIndex += 1 }
            let isLast = i == (c.history?.count ?? 0) - 1
            items.append(HistoryItem(id: isLast ? view.id : "<missing>", created: h.created.flatMap { Timestamp.parse($0) }?.seconds ?? 0,
                                     createdBy: h.createdBy ?? "", tags: isLast ? view.names.map(Engine.familiarName) : [], size: size,
                                     comment: h.comment ?? ""))
        }
        if items.isEmpty { items.append(HistoryItem(id: view.id, created: view.created.seconds, tags: view.names.map(Engine.familiarName), size: view.size)) }
        return .json(Array(items.reversed()))
    }

    func tag(_ request: APIRequest) async throws -> APIResponse {
        guard let repo = request.string("repo"), !repo.isEmpty else { throw EngineError(.invalidParameter, "repository name must have at least one component") }
        try await engine.tagImage(request.parameter("name"), repository: repo, tag: request.string("tag"))
        return .empty(.created)
    }

    func remove(_ request: APIRequest) async throws -> APIResponse {
        let items = try await engine.removeImage(request.parameter("name"), force: request.bool("force"))
        return .json(items.map { ImageDeleteResponseItem(untagged: $0.untagged, deleted: $0.deleted) })
    }

    func prune(_ request: APIRequest) async throws -> APIResponse {
        let filters = try request.filters()
        let all = filters["dangling"]?.contains { ["0", "false"].contains($0.lowercased()) } ?? false
        let result = try await engine.pruneImages(all: all)
        return .json(ImagePruneResponse(imagesDeleted: result.deleted.map { ImageDeleteResponseItem(untagged: $0.0, deleted: $0.1) },
                                        spaceReclaimed: result.space))
    }

    /// The request body as a file (spooled bodies already are).
    static func bodyFile(_ request: APIRequest, engine: Engine) throws -> (String, Bool) {
        switch request.body {
        case .file(let path): return (path, false)
        case .bytes(let bytes):
            let path = engine.configuration.execRoot + "/tmp/upload-" + UUID().uuidString
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw EngineError(.system, "cannot store the request body in \(path)")
            }
            return (path, true)
        case .none: throw EngineError(.invalidParameter, "the request body is empty: send the archive")
        }
    }

    func load(_ request: APIRequest) async throws -> APIResponse {
        let (path, temporary) = try Self.bodyFile(request, engine: engine)
        defer { if temporary { try? FileManager.default.removeItem(atPath: path) } }
        let quiet = request.bool("quiet")
        do {
            let lines = try await engine.loadImages(from: path)
            return .stream(.ok, contentType: "application/json") { writer in
                for line in lines { try await writer.writeJSON(JSONMessage(stream: line + "\n")) }
                _ = quiet
            }
        } catch {
            return .stream(.ok, contentType: "application/json") { writer in
                try await writer.writeJSON(JSONMessage(error: error.message, errorDetail: JSONMessage.ErrorDetail(message: error.message)))
            }
        }
    }

    func saveMany(_ request: APIRequest) async throws -> APIResponse {
        try await save(request.query["names"] ?? [])
    }

    func saveOne(_ request: APIRequest) async throws -> APIResponse {
        try await save([request.parameter("name")])
    }

    private func save(_ names: [String]) async throws -> APIResponse {
        guard !names.isEmpty else { throw EngineError(.invalidParameter, "no images named") }
        let path = engine.configuration.execRoot + "/tmp/save-" + UUID().uuidString + ".tar"
        try await engine.saveImages(names, to: path)
        return ArchiveRoutes.file(path, contentType: "application/x-tar")
    }

    /// `fromSrc=-` imports the body; `fromImage` pulls from a registry.
    func create(_ request: APIRequest) async throws -> APIResponse {
        if let source = request.string("fromSrc") {
            guard source == "-" else { throw EngineError(.invalidParameter, "importing from a URL is not supported: \(source)") }
            let (path, temporary) = try Self.bodyFile(request, engine: engine)
            defer { if temporary { try? FileManager.default.removeItem(atPath: path) } }
            var reference = request.string("repo") ?? ""
            if let tag = request.string("tag"), !tag.isEmpty, !reference.isEmpty { reference += ":" + tag }
            let changes = try ImageChangeParser.parse(request.query["changes"] ?? [])
            let id = try await engine.importImage(from: path, reference: reference, changes: changes, message: request.string("message"))
            return .stream(.ok, contentType: "application/json") { writer in
                try await writer.writeJSON(JSONMessage(status: id))
            }
        }
        let image = request.string("fromImage") ?? ""
        guard !image.isEmpty else { throw EngineError(.invalidParameter, "fromImage or fromSrc is required") }
        return try await RegistryRoutes(engine: engine).pull(request, image: image, tag: request.string("tag"))
    }
}

/// `docker import --change`: the Dockerfile instructions docker accepts there.
enum ImageChangeParser {
    static func parse(_ lines: [String]) throws(EngineError) -> ImageChanges {
        var changes = ImageChanges()
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            let keyword = parts[0].uppercased()
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            func list() -> [String] {
                if value.hasPrefix("["), let data = value.data(using: .utf8), let array = try? JSONDecoder().decode([String].self, from: data) { return array }
                return ["/bin/sh", "-c", value]
            }
            switch keyword {
            case "CMD": changes.cmd = list()
            case "ENTRYPOINT": changes.entrypoint = list()
            case "ENV":
                let kv = value.contains("=") ? value : value.replacingOccurrences(of: " ", with: "=", options: [], range: value.range(of: " "))
                changes.env = (changes.env ?? []) + [kv]
            case "WORKDIR": changes.workingDir = value
            case "USER": changes.user = value
            case "EXPOSE": changes.exposedPorts = (changes.exposedPorts ?? []) + value.split(separator: " ").map { $0.contains("/") ? String($0) : $0 + "/tcp" }
            case "LABEL":
                let kv = value.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                var labels = changes.labels ?? [:]
                labels[kv[0]] = kv.count > 1 ? kv[1] : ""
                changes.labels = labels
            case "STOPSIGNAL": changes.stopSignal = value
            case "VOLUME", "ONBUILD": continue
            default: throw EngineError(.invalidParameter, "\(keyword) is not a valid change command")
            }
        }
        return changes
    }
}
