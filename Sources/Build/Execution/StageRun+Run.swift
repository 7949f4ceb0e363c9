import Foundation
import ImageStore
import OCI

extension StageRun {
    /// RUN: a container of the stage's image runs the command; exit 0 commits its changes.
    mutating func run(_ step: BuildStep, _ run: RunStep) async throws {
        guard let image = current else {
            throw BuildError("RUN in a stage with an empty filesystem (FROM scratch): there is nothing to run")
        }
        let key = BuildExecutor.cacheKey(parent: parentID, parts: [step.cacheKey])
        if await useCache(key) { return }
        var views: [String] = []
        var scratch: [String] = []
        defer {
            let worker = self.worker
            let opened = views, made = scratch
            Task { for view in opened { await worker.unmountView(view) } }
            for path in made { try? FileManager.default.removeItem(atPath: path) }
        }
        var mounts: [BuildRunMount] = []
        for mount in run.mounts {
            guard let target = mount.target, !target.isEmpty else { throw BuildError("RUN --mount: a target is required") }
            switch mount.type {
            case .cache:
                let directory = try await worker.cacheDirectory(mount.id ?? target)
                mounts.append(.bind(source: directory, target: target, readOnly: mount.readOnly))
            case .tmpfs:
                mounts.append(.tmpfs(target: target, size: mount.sizeLimit))
            case .bind:
                let root: String
                var refuse = false
                if let from = mount.from {
                    let source: ResolvedImage?
                    if let index = Int(from) ?? plan.stages.first(where: { $0.stage.name == from.lowercased() })?.stage.index {
                        guard let result = results[index] else { throw BuildError("RUN --mount from=\(from): stage was not built") }
                        source = result
                    } else {
                        source = try await worker.baseImage(from, pull: false)
                    }
                    root = try await worker.mountView(source)
                    views.append(root)
                } else {
                    guard let context = executor.context else { throw BuildError("RUN --mount=type=bind needs a build context") }
                    root = context
                    refuse = true
                }
                let parts: [String]
                do {
                    parts = try ScopedPath.resolve(mount.source ?? "/", in: root, followFinal: true, refuseEscape: refuse)
                } catch {
                    throw BuildError("RUN --mount source \(mount.source ?? "/") is outside the build context")
                }
                mounts.append(.bind(source: ScopedPath.join(root, parts), target: target, readOnly: mount.readOnly))
            case .secret, .ssh:
                if mount.required {
                    throw BuildError("RUN --mount=type=\(mount.type.rawValue): \(mount.id ?? target) was not provided (the legacy build API has no secrets)")
                }
            }
        }
        if !run.files.isEmpty {
            let directory = FileManager.default.temporaryDirectory.path + "/berth-pipes-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            scratch.append(directory)
            for file in run.files {
                let path = directory + "/" + file.name
                try Data(file.data.utf8).write(to: URL(fileURLWithPath: path))
                chmod(path, 0o755)
            }
            mounts.append(.bind(source: directory, target: "/dev/pipes", readOnly: true))
        }
        let network = run.network == .default ? options.network : run.network.rawValue
        let request = BuildRunRequest(image: image, argv: run.argv, env: run.env, user: run.user, workingDir: run.workingDir,
                                      network: network, mounts: mounts, sourceDateEpoch: options.sourceDateEpoch)
        let progress = executor.progress
        let outcome = try await worker.run(request, holder: holder) { bytes in await progress(.output(bytes)) }
        guard outcome.exitCode == 0, let layer = outcome.layer else {
            throw BuildError("The command '\(run.argv.joined(separator: " "))' returned a non-zero code: \(outcome.exitCode)",
                             exitCode: outcome.exitCode)
        }
        try await finish(key, layer: layer, history: step.history)
    }
}
