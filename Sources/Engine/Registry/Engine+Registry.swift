import Distribution
import Foundation
import ImageStore
import OCI

/// `docker pull`, `docker push`, `docker login`: the registry client over the engine's image store.
extension Engine {
    /// Pulls `image` (docker's `fromImage`; `tag` may be a tag or a digest) with `credentials`,
    /// streaming progress to `progress`. The pulled image is unpacked (runnable) and named.
    public nonisolated func pull(_ image: String, tag: String?, platform: String? = nil, credentials: RegistryCredentials,
                                 progress: @escaping ProgressSink) async throws(EngineError) -> PullResult {
        let reference: ImageReference
        do {
            reference = try RegistryService.reference(image, tag: tag)
        } catch {
            throw EngineError(.invalidParameter, error.description)
        }
        var wanted: Platform?
        if let platform, !platform.isEmpty {
            do {
                wanted = try Platform(parsing: platform)
            } catch {
                throw EngineError(.invalidParameter, "invalid platform \"\(platform)\": \(error.description)")
            }
        }
        let result: PullResult
        do {
            result = try await registry.puller(images).pull(reference, credentials: credentials, platform: wanted, progress: progress)
        } catch {
            throw Self.registryError(error)
        }
        await publish(type: "image", action: "pull", id: reference.familiarString, attributes: ["name": reference.familiarString])
        return result
    }

    /// Pushes `name` (`tag` given or, when nil or empty, every tag of the repository) with `credentials`.
    /// A missing local image throws before anything is sent (docker's 404).
    public nonisolated func push(_ name: String, tag: String?, credentials: RegistryCredentials,
                                 progress: @escaping ProgressSink) async throws(EngineError) -> [PushedTag] {
        let pusher = registry.pusher(images)
        let names: [ImageReference]
        do {
            let reference = try RegistryService.reference(name, tag: nil)
            let explicitTag = (tag?.isEmpty ?? true) ? (name.contains("@") ? nil : Self.explicitTag(name)) : tag
            names = try pusher.names(for: reference.repositoryOnly, tag: explicitTag)
        } catch {
            throw Self.registryError(error)
        }
        do {
            let pushed = try await pusher.push(names, credentials: credentials, progress: progress)
            for name in names { await publish(type: "image", action: "push", id: name.familiarString, attributes: ["name": name.familiarString]) }
            return pushed
        } catch {
            throw Self.registryError(error)
        }
    }

    /// Checks the names the push would send, without sending anything (the API answers 404 before streaming).
    public nonisolated func pushNames(_ name: String, tag: String?) throws(EngineError) -> [String] {
        do {
            let reference = try RegistryService.reference(name, tag: nil)
            let explicitTag = (tag?.isEmpty ?? true) ? Self.explicitTag(name) : tag
            return try registry.pusher(images).names(for: reference.repositoryOnly, tag: explicitTag).map(\.string)
        } catch {
            throw Self.registryError(error)
        }
    }

    /// `docker login`: proves `credentials` work at their server. Returns docker's status text.
    public nonisolated func login(_ credentials: RegistryCredentials) async throws(EngineError) -> String {
        do {
            try await registry.login.login(credentials)
        } catch {
            throw Self.registryError(error)
        }
        return "Login Succeeded"
    }

    /// The tag written in `name` itself (`a/b:1` → `1`), or nil.
    static func explicitTag(_ name: String) -> String? {
        guard let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") else { return nil }
        return String(name[name.index(after: colon)...])
    }

    /// A registry or store failure as the Engine API reports it.
    static func registryError(_ error: any Error) -> EngineError {
        switch error {
        case let error as EngineError: return error
        case let error as RegistryError:
            if error.isNotFound { return EngineError(.notFound, error.description) }
            if error.isUnauthorized { return EngineError(.unauthorized, error.description) }
            if case .invalidReference = error { return EngineError(.invalidParameter, error.description) }
            return EngineError(.system, error.description)
        case let error as ImageStoreError: return EngineError(.system, error.description)
        case let error as ContentError: return EngineError(.system, error.description)
        default: return EngineError(.system, "\(error)")
        }
    }
}
