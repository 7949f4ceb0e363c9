// Debian's reference registry (docker-registry, distribution 2.8) for the registry tests: started on
// a free loopback port with its own storage, optionally with htpasswd basic auth; stopped and
// removed by `stop()`.
import Foundation
import Glibc

/// Why the registry tests cannot run here, or nil.
let registryUnavailableReason: String? = {
    if let reason = daemonUnavailableReason { return reason }
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-registry") {
        return "the registry tests need /usr/bin/docker-registry (apt-get install docker-registry)"
    }
    return nil
}()

/// A free TCP port on 127.0.0.1 (bound, read and released: another process could take it meanwhile).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SpawnError("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw SpawnError("bind: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// True when something accepts TCP connections on 127.0.0.1:`port`.
func loopbackPortAnswers(_ port: Int) -> Bool { portAnswers("127.0.0.1", port) }

/// True when something accepts TCP connections on IPv4 `host`:`port`.
func portAnswers(_ host: String, _ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(host)
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// One docker-registry process.
final class ReferenceRegistry: @unchecked Sendable {
    let dir: String
    let port: Int
    /// The address it listens on (127.0.0.1 unless told).
    let host: String
    private let process: ChildProcess
    /// The token server (python/token_server.py) of a registry in token mode.
    private var tokenServer: ChildProcess?
    /// `<host>:<port>`: the domain of image names in it.
    var domain: String { "\(host):\(port)" }
    /// The token requests the token server saw (`<user or -> <scopes>` lines).
    var tokenRequests: [String] {
        ((try? String(contentsOfFile: dir + "/token/requests", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private init(dir: String, port: Int, host: String, process: ChildProcess) {
        self.dir = dir
        self.port = port
        self.host = host
        self.process = process
    }

    /// Starts a registry (on `host`, a local address); with `user`/`password` it requires htpasswd (bcrypt) basic auth, or, with
    /// `token`, Bearer tokens from python/token_server.py (anonymous: pull only; the user: anything).
    static func start(user: String? = nil, password: String? = nil, token: Bool = false, host: String = "127.0.0.1") throws -> ReferenceRegistry {
        var template = Array("/tmp/berth-e2e-reg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SpawnError("mkdtemp: \(String(cString: strerror(errno)))") }
        let dir = String(cString: made)
        let port = try freeLoopbackPort()
        var config = """
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(dir)/data
              delete:
                enabled: true
            http:
              addr: \(host):\(port)

            """
        var tokenServer: ChildProcess?
        if token, let user, let password {
            try FileManager.default.createDirectory(atPath: dir + "/token", withIntermediateDirectories: true)
            let child = try ChildProcess.spawn(["python3", pythonDirectory + "/token_server.py", dir + "/token", user, password],
                                               environment: baseEnvironment(), stdout: .file(dir + "/token.log"), stderr: .file(dir + "/token.log"))
            tokenServer = child
            var tokenPort: Int?
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, tokenPort == nil, !child.poll() {
                tokenPort = (try? String(contentsOfFile: dir + "/token/port", encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                if tokenPort == nil { usleep(20_000) }
            }
            guard let tokenPort else {
                child.killAndReap()
                let log = (try? String(contentsOfFile: dir + "/token.log", encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: dir)
                throw SpawnError("token_server.py did not start:\n\(log)")
            }
            config += """
                auth:
                  token:
                    realm: http://127.0.0.1:\(tokenPort)/token
                    service: berth-test
                    issuer: berth-test-issuer
                    rootcertbundle: \(dir)/token/cert.pem

                """
        } else if let user, let password {
            let made = runCommand(["htpasswd", "-Bbn", user, password], timeout: 30)
            guard made.status == 0 else { throw SpawnError("htpasswd failed: \(made)") }
            try Data(made.stdout.utf8).write(to: URL(fileURLWithPath: dir + "/htpasswd"))
            config += """
                auth:
                  htpasswd:
                    realm: basic-realm
                    path: \(dir)/htpasswd

                """
        }
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/config.yml"))
        let child = try ChildProcess.spawn(["/usr/bin/docker-registry", "serve", dir + "/config.yml"], environment: baseEnvironment(),
                                           stdout: .file(dir + "/registry.log"), stderr: .file(dir + "/registry.log"))
        let registry = ReferenceRegistry(dir: dir, port: port, host: host, process: child)
        registry.tokenServer = tokenServer
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if child.poll() {
                let log = (try? String(contentsOfFile: dir + "/registry.log", encoding: .utf8)) ?? ""
                registry.stop()
                throw SpawnError("docker-registry exited before listening:\n\(log)")
            }
            if portAnswers(host, port) { return registry }
            usleep(20_000)
        }
        registry.stop()
        throw SpawnError("docker-registry did not listen on \(port) within 15 s")
    }

    /// Kills the registry and removes its storage.
    func stop() {
        process.killAndReap()
        tokenServer?.killAndReap()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// A Python HTTP server that plays a registry serving one image whose layer's bytes do not match the
/// digest its manifest declares (python/bad_blob_registry.py). Stopped by `stop()`.
final class BadBlobRegistry: @unchecked Sendable {
    let port: Int
    /// The digest the manifest declares for the layer.
    let layerDigest: String
    private let process: ChildProcess
    private let dir: String
    var domain: String { "127.0.0.1:\(port)" }

    private init(port: Int, layerDigest: String, process: ChildProcess, dir: String) {
        self.port = port
        self.layerDigest = layerDigest
        self.process = process
        self.dir = dir
    }

    /// Starts the server; `slow` serves a correct 2 MiB layer at about 640 KiB/s instead of a wrong one.
    static func start(slow: Bool = false) throws -> BadBlobRegistry {
        var template = Array("/tmp/berth-e2e-bad-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SpawnError("mkdtemp failed") }
        let dir = String(cString: made)
        let info = dir + "/info"
        let child = try ChildProcess.spawn(["python3", pythonDirectory + "/bad_blob_registry.py", info] + (slow ? ["--slow"] : []),
                                           environment: baseEnvironment(),
                                           stdout: .file(dir + "/log"), stderr: .file(dir + "/log"))
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: info, encoding: .utf8), text.hasSuffix("\n") {
                let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                if fields.count == 2, let port = Int(fields[0]) {
                    return BadBlobRegistry(port: port, layerDigest: fields[1], process: child, dir: dir)
                }
            }
            if child.poll() { break }
            usleep(20_000)
        }
        child.killAndReap()
        let log = (try? String(contentsOfFile: dir + "/log", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: dir)
        throw SpawnError("bad_blob_registry.py did not start:\n\(log)")
    }

    func stop() {
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// berth-registry (this package's registry, built beside berthd) on a free loopback port, with
/// htpasswd users and its own token endpoint (HS256 secret), for interop with the engine's client.
final class BerthRegistryProcess: @unchecked Sendable {
    let dir: String
    let port: Int
    private let process: ChildProcess
    var domain: String { "127.0.0.1:\(port)" }

    private init(dir: String, port: Int, process: ChildProcess) {
        self.dir = dir
        self.port = port
        self.process = process
    }

    static func start(binDir: String, user: String, password: String) throws -> BerthRegistryProcess {
        guard FileManager.default.isExecutableFile(atPath: binDir + "/berth-registry") else {
            throw SpawnError("berth-registry is not built in \(binDir)")
        }
        var template = Array("/tmp/berth-e2e-breg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SpawnError("mkdtemp failed") }
        let dir = String(cString: made)
        let port = try freeLoopbackPort()
        let htpasswd = runCommand(["htpasswd", "-Bbn", user, password], timeout: 30)
        guard htpasswd.status == 0 else { throw SpawnError("htpasswd failed: \(htpasswd)") }
        try Data(htpasswd.stdout.utf8).write(to: URL(fileURLWithPath: dir + "/htpasswd"))
        try Data("berth-e2e-token-secret-0123456789abcdef".utf8).write(to: URL(fileURLWithPath: dir + "/token.key"))
        let child = try ChildProcess.spawn(
            [binDir + "/berth-registry", "serve", "--addr", "127.0.0.1:\(port)", "--root", dir + "/data",
             "--htpasswd", dir + "/htpasswd", "--token-issuer", "berth-e2e", "--token-key", dir + "/token.key"],
            environment: baseEnvironment(), stdout: .file(dir + "/log"), stderr: .file(dir + "/log"))
        let registry = BerthRegistryProcess(dir: dir, port: port, process: child)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if child.poll() { break }
            if loopbackPortAnswers(port) { return registry }
            usleep(20_000)
        }
        let log = (try? String(contentsOfFile: dir + "/log", encoding: .utf8)) ?? ""
        registry.stop()
        throw SpawnError("berth-registry did not listen on \(port):\n\(log)")
    }

    func stop() {
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// A non-loopback IPv4 address of this host (for the insecure-registry test), or nil.
func nonLoopbackIPv4() -> String? {
    let r = runCommand(["hostname", "-I"], timeout: 10)
    return r.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        .first { $0.split(separator: ".").count == 4 && !$0.hasPrefix("127.") }
}
