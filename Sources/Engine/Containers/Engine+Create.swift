import DockerAPI
import Foundation
import ImageStore
import Networking
import OCI

extension Engine {
    /// `POST /containers/create`: checks the request, resolves the image, merges its config and
    /// stores a `created` container. Nothing runs yet.
    public func createContainer(_ request: ContainerCreateRequest, name requestedName: String?) async throws(EngineError) -> ContainerRecord {
        let name: String
        if let requestedName, !requestedName.isEmpty {
            name = try ContainerNames.validate(requestedName)
            if let other = containers.values.first(where: { $0.name == name }) {
                throw EngineError(.conflict, "Conflict. The container name \"/\(name)\" is already in use by container \"\(other.id)\". You have to remove (or rename) that container to be able to reuse that name.")
            }
        } else {
            name = ContainerNames.generate(avoiding: Set(containers.values.map(\.name)))
        }
        guard let reference = request.config.image, !reference.isEmpty else {
            throw EngineError.invalid("config.Image: an image is required")
        }
        let image = try resolveImage(reference)
        var hostConfig = request.hostConfig ?? HostConfig()
        try Self.validate(hostConfig: &hostConfig)
        let merged: DockerAPI.ContainerConfig
        let argv: [String]
        do {
            merged = try ConfigMerger.merge(request.config, image: image.config.config)
            argv = try ConfigMerger.command(of: merged)
        } catch {
            throw EngineError.invalid(error.description)
        }
        var record = ContainerRecord(
            id: ContainerNames.newID(), name: name, created: .now(), imageReference: reference,
            imageID: image.id.string, imageTarget: image.target.digest.string,
            config: merged, hostConfig: hostConfig, path: argv[0], args: Array(argv.dropFirst()),
            state: .init(), mounts: [], anonymousVolumes: [])
        if record.config.hostname == nil || record.config.hostname == "" { record.config.hostname = record.shortID }
        record.endpoints = try initialEndpoints(hostConfig, request.networkingConfig)
        // `-v /path` arrives as Config.Volumes (docker's CLI), merged with the image's VOLUMEs.
        try prepareVolumes(&record, imageVolumes: (record.config.volumes ?? [:]).keys.sorted())
        do {
            try FileManager.default.createDirectory(atPath: configuration.containerDirectory(record.id), withIntermediateDirectories: true)
        } catch {
            throw EngineError.system("creating the directory of \(record.shortID): \(error)")
        }
        try commit(record)
        publish(record, "create")
        return record
    }

    /// The image `reference` names, or docker's 404.
    func resolveImage(_ reference: String) throws(EngineError) -> ResolvedImage {
        do {
            if reference.hasPrefix("sha256:") || (reference.count >= 12 && reference.allSatisfy(\.isHexDigit)) {
                if let found = try findImageByID(reference) { return found }
            }
            return try images.resolve(reference)
        } catch let error as ImageStoreError {
            if case .imageNotFound = error {
                if let unnamed = unnamedManifest(reference) { return unnamed }
                let shown = (try? ImageStore.normalizedName(reference)).map(Self.familiarName) ?? reference
                throw EngineError.noSuchImage(shown)
            }
            throw EngineError(.invalidParameter, error.description)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.system("\(error)")
        }
    }

    /// The image whose manifest digest is `reference` though no name or dangling record points at it
    /// (a build step's image, held by the build cache).
    func unnamedManifest(_ reference: String) -> ResolvedImage? {
        guard reference.hasPrefix("sha256:"), let digest = try? Digest(parsing: reference),
              let info = try? images.content.info(digest), info.size < 4 << 20 else { return nil }
        return try? images.resolve(manifest: Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: info.size))
    }

    /// An image whose config digest (docker's image ID) starts with `prefix`.
    func findImageByID(_ prefix: String) throws -> ResolvedImage? {
        let wanted = prefix.hasPrefix("sha256:") ? prefix : "sha256:" + prefix
        for record in try images.list(includeDangling: true) {
            let resolved = try images.resolve(record: record)
            if resolved.id.string.hasPrefix(wanted) || resolved.target.digest.string.hasPrefix(wanted) { return resolved }
        }
        return nil
    }

    /// `docker.io/library/busybox:latest` → `busybox:latest`, as docker shows names.
    public static func familiarName(_ name: String) -> String {
        (try? ImageReference(parsing: name))?.familiarString ?? name
    }

    /// Docker's create-time checks of HostConfig.
    static func validate(hostConfig: inout HostConfig) throws(EngineError) {
        let policy = hostConfig.restartPolicy?.name ?? ""
        switch policy {
        case "", "no", "always", "unless-stopped":
            if let count = hostConfig.restartPolicy?.maximumRetryCount, count != 0 {
                throw EngineError.invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'")
            }
        case "on-failure":
            if let count = hostConfig.restartPolicy?.maximumRetryCount, count < 0 {
                throw EngineError.invalid("invalid restart policy: maximum retry count cannot be negative")
            }
        default:
            throw EngineError.invalid("invalid restart policy: unknown policy '\(policy)'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")
        }
        if hostConfig.autoRemove == true, !["", "no"].contains(policy) {
            throw EngineError.invalid("conflicting options: cannot specify both --restart and --rm")
        }
        if let memory = hostConfig.memory, memory > 0, memory < 6 * 1024 * 1024 {
            throw EngineError.invalid("Minimum memory limit allowed is 6MB")
        }
        if let nano = hostConfig.nanoCpus, nano != 0, (hostConfig.cpuQuota ?? 0) != 0 || (hostConfig.cpuPeriod ?? 0) != 0 {
            throw EngineError.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set")
        }
        let mode = hostConfig.networkMode ?? ""
        let ownNamespace = ["", "default", "bridge"].contains(mode) || !["none", "host"].contains(mode) && !mode.hasPrefix("container:")
        if !ownNamespace && (!(hostConfig.portBindings ?? [:]).isEmpty || hostConfig.publishAllPorts == true) && mode != "host" {
            throw EngineError.invalid("conflicting options: port publishing and the container type network mode")
        }
        if mode.hasPrefix("container:") && (!(hostConfig.dns ?? []).isEmpty || !(hostConfig.extraHosts ?? []).isEmpty) {
            throw EngineError.invalid("conflicting options: dns and the network mode")
        }
    }
}

extension Engine {
    /// The endpoints a new container starts with: the network its mode names (the default
    /// bridge for `default`), with the aliases and address of `NetworkingConfig`; other networks
    /// listed there too (API ≥ 1.44). Unknown networks are docker's 404.
    func initialEndpoints(_ hostConfig: HostConfig, _ networking: NetworkingConfig?) throws(EngineError) -> [String: Endpoint]? {
        let mode = hostConfig.networkMode ?? ""
        if mode == "host" || mode == "none" || mode.hasPrefix("container:") {
            if mode.hasPrefix("container:") { _ = try lookup(String(mode.dropFirst("container:".count))) }
            return [:]
        }
        var result: [String: Endpoint] = [:]
        let primaryName = ["", "default"].contains(mode) ? "bridge" : mode
        var requested = networking?.endpointsConfig ?? [:]
        if requested[primaryName] == nil && !(requested.count == 1 && ["", "default"].contains(mode)) { requested[primaryName] = EndpointSettings() }
        for (name, settings) in requested {
            // Not docker's 404: its CLI takes a 404 from create for a missing image and pulls.
            let network: NetworkDefinition
            do { network = try lookupNetwork(name == "default" ? "bridge" : name) } catch {
                throw EngineError.invalid(error.message)
            }
            if network.isBuiltinWithoutBridge {
                throw EngineError.invalid("container cannot be connected to network \(network.name) and others")
            }
            let aliases = settings.aliases ?? []
            if network.isDefault && !aliases.isEmpty {
                throw EngineError.invalid("network-scoped alias is supported only for containers in user defined networks")
            }
            let ip = settings.ipamConfig?.ipv4Address
            if let ip, !ip.isEmpty {
                if network.isDefault { throw EngineError.invalid("user specified IP address is supported on user defined networks only") }
                guard let address = IPv4Address(ip), let subnet = IPv4Subnet(network.subnet), subnet.contains(address) else {
                    throw EngineError.invalid("invalid IPv4 address \(ip) for network \(network.name) (\(network.subnet))")
                }
            }
            result[network.id] = Endpoint(networkID: network.id, aliases: aliases, requestedIP: ip?.isEmpty == false ? ip : nil)
        }
        return result
    }
}
