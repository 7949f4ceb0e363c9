import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import RegistryServer

/// `berth-registry`: an OCI Distribution registry.
@main
struct BerthRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth-registry",
        abstract: "An OCI Distribution Spec 1.1 registry.",
        subcommands: [Serve.self, GC.self]
    )
}

/// `berth-registry serve`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the registry API.")

    @Option(help: "YAML configuration file (flags override it).") var config: String?
    @Option(help: "Address to listen on, HOST:PORT.") var addr: String?
    @Option(help: "Storage root directory.") var root: String?
    @Option(help: "htpasswd file (bcrypt) for Basic auth and the token endpoint.") var htpasswd: String?
    @Option(name: .customLong("tls-cert"), help: "TLS certificate chain (PEM).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "TLS private key (PEM).") var tlsKey: String?
    @Flag(name: .customLong("read-only"), help: "Refuse every write.") var readOnly = false
    @Option(name: .customLong("token-realm"), help: "Token realm URL (default: this server's /token).") var tokenRealm: String?
    @Option(name: .customLong("token-issuer"), help: "Token issuer and service name.") var tokenIssuer: String?
    @Option(name: .customLong("token-key"), help: "Token signing key: PEM P-256 key (ES256) or a secret file (HS256).") var tokenKey: String?
    @Option(name: .customLong("log-level"), help: "Log level (trace … critical).") var logLevel: String?

    func run() async throws {
        // One malloc arena, and a fixed mmap threshold: NIO's threads would otherwise each keep an
        // arena of freed request buffers, and glibc's sliding threshold would move large buffers
        // into them; resident memory grows with no gain in speed.
        tuneMalloc()
        var settings = try config.map { path throws(ConfigError) in try RegistryConfig(path: path) } ?? RegistryConfig()
        if let addr { settings.addr = addr }
        if let root { settings.root = root }
        if let htpasswd { settings.htpasswd = htpasswd }
        if readOnly { settings.readOnly = true }
        if tlsCert != nil || tlsKey != nil {
            guard let tlsCert, let tlsKey else { throw ValidationError("--tls-cert and --tls-key go together") }
            settings.tls = .init(cert: tlsCert, key: tlsKey)
        }
        if tokenKey != nil || tokenIssuer != nil || tokenRealm != nil {
            var token = settings.token ?? .init(issuer: "berth-registry", key: "")
            if let tokenKey { token.key = tokenKey }
            if let tokenIssuer { token.issuer = tokenIssuer }
            if let tokenRealm { token.realm = tokenRealm }
            guard !token.key.isEmpty else { throw ValidationError("the token flow needs --token-key") }
            settings.token = token
        }
        if let logLevel { settings.logLevel = logLevel }
        let level = settings.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "berth-registry")
        let server = try RegistryServer(config: settings, logger: logger)
        let (addr, root) = (settings.addr, settings.root)
        try await server.run(onListening: { port in
            logger.notice("listening", metadata: ["addr": .string(addr), "port": .stringConvertible(port), "root": .string(root)])
        })
    }
}

/// `berth-registry gc`.
struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove blobs no manifest references, and abandoned uploads.")

    @Option(help: "Storage root directory.") var root = "/var/lib/berth-registry"
    @Flag(name: .customLong("dry-run"), help: "Print what would be removed.") var dryRun = false
    @Option(help: "Spare blobs written within this many seconds (a push may still reference them).") var grace: Double = 600
    @Option(name: .customLong("upload-max-age"), help: "Remove uploads untouched for this many seconds.") var uploadMaxAge: Double = 86_400

    func run() throws {
        let report = try GarbageCollector(root: root).run(dryRun: dryRun, gracePeriod: grace, uploadMaxAge: uploadMaxAge)
        for digest in report.removedBlobs { print("\(dryRun ? "would remove" : "removed") blob \(digest)") }
        for id in report.removedUploads { print("\(dryRun ? "would remove" : "removed") upload \(id)") }
        print(report)
    }
}


/// `mallopt(M_ARENA_MAX, 1)` and `mallopt(M_MMAP_THRESHOLD, 64 KiB)` (glibc's malloc.h is not in the Glibc module).
private func tuneMalloc() {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
    _ = mallopt(-8 /* M_ARENA_MAX */, 1)
    _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 64 << 10)
}
