import DockerAPI
import Foundation

/// The flags of `run` and `create` as given, turned into the create request
/// exactly as docker's CLI does (`runconfig`/`opts` in docker/cli).
public struct RunOptions: Sendable, Equatable {
    public var detach = false
    public var interactive = false
    public var tty = false
    public var env: [String] = []
    public var envFiles: [String] = []
    public var workdir: String?
    public var user: String?
    /// nil: not given; "" given empty (clears the image's entrypoint).
    public var entrypoint: String?
    public var hostname: String?
    public var name: String?
    public var labels: [String] = []
    public var labelFiles: [String] = []
    public var volumes: [String] = []
    public var mounts: [String] = []
    public var tmpfs: [String] = []
    public var readOnly = false
    public var memory: String?
    public var memorySwap: String?
    public var cpus: String?
    public var cpuShares: Int64?
    public var cpusetCpus: String?
    public var pidsLimit: Int64?
    public var ulimits: [String] = []
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    public var privileged = false
    public var securityOpt: [String] = []
    public var initProcess = false
    public var stopSignal: String?
    public var stopTimeout: Int?
    public var restart: String?
    public var groupAdd: [String] = []
    public var autoRemove = false
    public var publish: [String] = []
    public var publishAll = false
    public var expose: [String] = []
    public var network: String?
    /// `--network-alias`.
    public var networkAliases: [String] = []
    /// `--ip`.
    public var ip: String?
    public var addHost: [String] = []
    public var dns: [String] = []
    public var attach: [String] = []
    public var platform: String?
    /// The image reference.
    public var image = ""
    /// The command after the image (overrides the image's `Cmd`).
    public var command: [String] = []

    public init() {}

    /// Streams to attach: docker's `-a`, or stdout+stderr (and stdin with `-i`) unless detached.
    public var attachStreams: (stdin: Bool, stdout: Bool, stderr: Bool) {
        if !attach.isEmpty {
            let set = Set(attach.map { $0.lowercased() })
            return (set.contains("stdin"), set.contains("stdout"), set.contains("stderr"))
        }
        if detach { return (false, false, false) }
        return (interactive, true, true)
    }

    /// The body of `POST /containers/create`; errors name the flag and value.
    public func makeCreateRequest(consoleSize: (rows: Int, cols: Int)? = nil,
                                  environment: EnvironmentLookup = .process) throws -> ContainerCreateRequest {
        if detach, !attach.isEmpty {
            throw FlagError("conflicting options: cannot specify both --attach and --detach")
        }
        for stream in attach where !["stdin", "stdout", "stderr"].contains(stream.lowercased()) {
            throw FlagError.invalid(stream, flag: "-a, --attach", "valid streams are STDIN, STDOUT and STDERR")
        }
        var config = ContainerConfig()
        var host = HostConfig()
        let streams = attachStreams
        config.image = image
        config.hostname = hostname
        config.user = user
        config.workingDir = workdir
        config.tty = tty
        config.openStdin = interactive
        config.attachStdin = streams.stdin
        config.attachStdout = streams.stdout
        config.attachStderr = streams.stderr
        config.stdinOnce = streams.stdin
        if !command.isEmpty { config.cmd = command }
        if let entrypoint { config.entrypoint = [entrypoint] }
        config.stopSignal = stopSignal
        config.stopTimeout = stopTimeout

        var envList: [String] = []
        for file in envFiles { envList += try FlagParsers.keyValueFile(file, environment: environment) }
        for item in env {
            do { envList.append(try FlagParsers.env(item, environment: environment)) } catch let error as FlagError {
                throw FlagError.invalid(item, flag: "-e, --env", error.description)
            }
        }
        config.env = envList

        var labelList: [String] = []
        for file in labelFiles { labelList += try FlagParsers.keyValueFile(file, environment: [:]) }
        labelList += labels
        config.labels = FlagParsers.labels(labelList)

        // Volumes: binds, anonymous volumes, --mount, --tmpfs.
        var binds: [String] = []
        var anonymous: [String: EmptyObject] = [:]
        for item in volumes {
            switch try MountSpec.parseVolume(item) {
            case .bind(let bind): binds.append(bind)
            case .anonymous(let path): anonymous[path] = EmptyObject()
            }
        }
        if !binds.isEmpty { host.binds = binds }
        if !anonymous.isEmpty { config.volumes = anonymous }
        if !mounts.isEmpty {
            host.mounts = try mounts.map { item in
                do { return try MountSpec.parseMount(item) } catch let error as FlagError {
                    throw FlagError.invalid(item, flag: "--mount", error.description)
                }
            }
        }
        if !tmpfs.isEmpty {
            var map: [String: String] = [:]
            for item in tmpfs { let (path, options) = try MountSpec.parseTmpfs(item); map[path] = options }
            host.tmpfs = map
        }

        // Resources.
        if let memory {
            do { host.memory = try HumanUnits.ramInBytes(memory) } catch {
                throw FlagError.invalid(memory, flag: "-m, --memory", "\(error)")
            }
        }
        if let memorySwap {
            if memorySwap == "-1" { host.memorySwap = -1 } else {
                do { host.memorySwap = try HumanUnits.ramInBytes(memorySwap) } catch {
                    throw FlagError.invalid(memorySwap, flag: "--memory-swap", "\(error)")
                }
            }
        }
        if let cpus { host.nanoCpus = try FlagParsers.nanoCPUs(cpus) }
        host.cpuShares = cpuShares
        host.cpusetCpus = cpusetCpus
        host.pidsLimit = pidsLimit
        do {
            host.ulimits = try ulimits.map { item in
                do { return try FlagParsers.ulimit(item) } catch let error as FlagError {
                    throw FlagError.invalid(item, flag: "--ulimit", error.description)
                }
            }
        }

        // Security.
        if !capAdd.isEmpty { host.capAdd = Self.normalizeCapabilities(capAdd) }
        if !capDrop.isEmpty { host.capDrop = Self.normalizeCapabilities(capDrop) }
        host.privileged = privileged
        if !securityOpt.isEmpty { host.securityOpt = securityOpt }
        if initProcess { host.initProcess = true }
        host.readonlyRootfs = readOnly
        if !groupAdd.isEmpty { host.groupAdd = groupAdd }

        // Lifecycle.
        if let restart {
            do { host.restartPolicy = try FlagParsers.restartPolicy(restart) } catch let error as FlagError {
                throw FlagError.invalid(restart, flag: "--restart", error.description.replacingOccurrences(of: "invalid restart policy format: ", with: ""))
            }
            if autoRemove, let name = host.restartPolicy?.name, name != "no" {
                throw FlagError("conflicting options: cannot specify both --restart and --rm")
            }
        } else {
            host.restartPolicy = RestartPolicy(name: "no", maximumRetryCount: 0)
        }
        host.autoRemove = autoRemove

        // Network and ports.
        host.networkMode = network ?? "default"
        var exposed: [String: EmptyObject] = [:]
        var bindings: [String: [PortBinding]?] = [:]
        for item in publish {
            let mappings: [PortSpec.Mapping]
            do { mappings = try PortSpec.parsePublish(item) } catch let error as FlagError {
                throw FlagError(error.description, runtime: true)
            }
            for mapping in mappings {
                exposed[mapping.port] = EmptyObject()
                bindings[mapping.port] = ((bindings[mapping.port] ?? nil) ?? []) + [mapping.binding]
            }
        }
        for item in expose {
            do { for port in try PortSpec.parseExpose(item) { exposed[port] = EmptyObject() } } catch let error as FlagError {
                throw FlagError.invalid(item, flag: "--expose", error.description)
            }
        }
        if !exposed.isEmpty { config.exposedPorts = exposed }
        host.portBindings = bindings
        host.publishAllPorts = publishAll
        if !addHost.isEmpty {
            host.extraHosts = try addHost.map { item in
                do { return try FlagParsers.extraHost(item) } catch let error as FlagError {
                    throw FlagError.invalid(item, flag: "--add-host", error.description)
                }
            }
        }
        host.dns = dns
        // docker's CLI sends these as empty lists rather than leaving them out.
        host.dnsOptions = []
        host.dnsSearch = []
        host.devices = []
        if tty, let consoleSize { host.consoleSize = [consoleSize.rows, consoleSize.cols] }

        var networking = NetworkingConfig()
        if !networkAliases.isEmpty || ip != nil {
            let mode = network ?? "default"
            if ["default", "bridge", "host", "none"].contains(mode) || mode.hasPrefix("container:") {
                throw FlagError(networkAliases.isEmpty ? "user specified IP address is supported on user defined networks only"
                                                       : "network-scoped aliases are only supported for user-defined networks", runtime: true)
            }
            var endpoint = EndpointSettings()
            endpoint.aliases = networkAliases.isEmpty ? nil : networkAliases
            if let ip { endpoint.ipamConfig = EndpointIPAMConfig(ipv4Address: ip) }
            networking.endpointsConfig = [mode: endpoint]
        }
        return ContainerCreateRequest(config: config, hostConfig: host, networkingConfig: networking)
    }

    /// docker's `opts.CapabilitiesNormalize`: upper case, `CAP_` prefix, `ALL` kept, duplicates dropped.
    public static func normalizeCapabilities(_ caps: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for cap in caps {
            var name = cap.trimmingCharacters(in: .whitespaces).uppercased()
            if name != "ALL", !name.hasPrefix("CAP_") { name = "CAP_" + name }
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }
}
