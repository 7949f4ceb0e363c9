import ArgumentParser
import Distribution
import Engine
import EngineAPI
import Foundation
import Glibc
import Logging

/// berthd: the Berth engine daemon. Serves the Docker Engine API on a unix socket.
@main
struct Berthd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "berthd", abstract: "The Berth container engine daemon.")

    @Option(name: [.customShort("H"), .long], help: "The socket to listen on (unix:///path or a path).")
    var host: String = "unix:///run/berth/berth.sock"

    @Option(help: "Root of persistent state.")
    var root: String = "/var/lib/berth"

    @Option(name: .customLong("exec-root"), help: "Root of runtime state (sockets, shims).")
    var execRoot: String = "/run/berth"

    @Option(help: "The OCI runtime (default: berth-runtime beside this executable).")
    var runtime: String?

    @Option(help: "The shim (default: berth-shim beside this executable).")
    var shim: String?

    @Option(name: [.customShort("b"), .customLong("bridge")], help: "The default network's bridge interface.")
    var bridge: String = "berth0"

    @Option(help: "The default network's gateway address and prefix, e.g. 172.30.0.1/16 (default: the first free pool).")
    var bip: String?

    @Option(name: .customLong("log-level"), help: "debug, info, warning, error.")
    var logLevel: String = "info"

    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: String = "text"

    @Option(name: .customLong("insecure-registry"), help: "A registry (host[:port] or CIDR) that may use plain HTTP (repeatable).")
    var insecureRegistries: [String] = []

    @Option(name: .customLong("registry-mirror"), help: "A Docker Hub mirror URL tried before Docker Hub (repeatable).")
    var registryMirrors: [String] = []

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler = DaemonLogHandler(label: label, json: json)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "berthd")
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        func beside(_ name: String) -> String {
            let path = directory + "/" + name
            return FileManager.default.isExecutableFile(atPath: path) ? path : name
        }
        let initPath = ["/usr/bin/tini-static", "/usr/bin/docker-init", "/usr/sbin/docker-init"].first { FileManager.default.isExecutableFile(atPath: $0) }
        var config = EngineConfiguration(root: absolute(root), execRoot: absolute(execRoot),
                                         runtimePath: runtime ?? beside("berth-runtime"), shimPath: shim ?? beside("berth-shim"),
                                         initPath: initPath, bridgeName: bridge, bridgeSubnet: bip)
        do {
            config.registries = RegistryConfiguration(insecureRegistries: insecureRegistries,
                                                      mirrors: try registryMirrors.map(RegistryConfiguration.parseMirror))
        } catch {
            throw ValidationError("\(error)")
        }
        let socket = host.hasPrefix("unix://") ? String(host.dropFirst(7)) : host
        guard !host.contains("://") || host.hasPrefix("unix://") else {
            throw ValidationError("only unix sockets are supported: \(host)")
        }
        try FileManager.default.createDirectory(atPath: (socket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        signal(SIGPIPE, SIG_IGN)
        let engine = try Engine(configuration: config, logger: logger)
        await engine.restore()
        let server = APIServer(engine: engine, logger: logger)
        let channel = try await server.start(socketPath: socket)
        logger.info("API listening", metadata: ["socket": "\(socket)", "root": "\(config.root)", "pid": "\(getpid())"])
        let stop = DaemonSignals.watch([SIGTERM, SIGINT])
        let trimmer = Task { await IdleTrim.run() }
        await stop.wait()
        trimmer.cancel()
        logger.info("shutting down; containers keep running (live restore)")
        try? await channel.close()
        unlink(socket)
        await server.shutdown()
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
