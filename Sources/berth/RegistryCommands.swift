import ArgumentParser
import Client
import DockerAPI
import Foundation

/// The registry domain of an image name, by docker's rule (the first component is a registry when it
/// is `localhost` or has a `.` or `:`).
func registryDomain(of image: String) -> String {
    guard let slash = image.firstIndex(of: "/") else { return "docker.io" }
    let first = String(image[..<slash])
    if first == "localhost" || first.contains(".") || first.contains(":") || first.lowercased() != first {
        return first == "index.docker.io" ? "docker.io" : first
    }
    return "docker.io"
}

/// The `X-Registry-Auth` value for `image`'s registry from the credential file, or nil.
func registryAuth(for image: String) throws -> String? {
    let domain = registryDomain(of: image)
    do {
        guard let stored = try CredentialFile.standard().credentials(forDomain: domain) else { return nil }
        return stored.registryAuthHeader(serverAddress: CredentialFile.key(forDomain: domain))
    } catch let error as CredentialFileError {
        throw CLIExit(1, "error reading the credentials: \(error)")
    }
}

/// Renders a pull or push progress stream on `sink` (bars on a terminal); returns the aux payloads.
@discardableResult
func renderProgress(_ body: ResponseBody, to sink: FileDescriptorSink, quiet: Bool) throws -> [JSONMessage.Aux] {
    let terminal = !quiet && isatty(sink.fd) == 1
    let width = RawTerminal.size(of: sink.fd)?.cols ?? 200
    var renderer = JSONMessageRenderer(isTerminal: terminal, width: width) { text in
        if !quiet { try? sink.write(text) }
    }
    return try renderer.renderAll(body)
}

/// `docker pull`: progress on `sink`, the canonical name at the end.
func pullImage(_ image: String, platform: String?, quiet: Bool, sink: FileDescriptorSink = .stdout, printName: Bool = true) throws {
    let client = try connectClient()
    var (repo, tag) = splitRepoTag(image)
    let parts = Display.splitReference(image)
    if parts.tag == nil && parts.digest == nil && !quiet && printName { try? sink.write("Using default tag: latest\n") }
    if let digest = parts.digest { tag = digest }
    let response = try client.pullImage(repo, tag: tag, platform: platform, registryAuth: try registryAuth(for: image))
    try renderProgress(response.body, to: sink, quiet: quiet)
    if printName { out(canonicalName(image)) }
}

/// docker's fully qualified form of a reference (`busybox` → `docker.io/library/busybox:latest`).
func canonicalName(_ image: String) -> String {
    let domain = registryDomain(of: image)
    var rest = image
    if image.hasPrefix(domain + "/") { rest = String(image.dropFirst(domain.count + 1)) }
    else if image.hasPrefix("index.docker.io/") { rest = String(image.dropFirst("index.docker.io/".count)) }
    if domain == "docker.io" && !rest.contains("/") { rest = "library/" + rest }
    return domain + "/" + withDefaultTag(rest)
}

/// `berth pull`.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Download an image from a registry", usage: "berth pull [OPTIONS] NAME[:TAG|@DIGEST]")
    @Option(help: "Set platform if server is multi-platform capable") var platform: String?
    @Flag(name: .shortAndLong, help: "Suppress verbose output") var quiet = false
    @Argument var image: String

    func run() throws { try pullImage(image, platform: platform, quiet: quiet) }
}

/// The work of `push` / `image push`.
func pushImage(_ image: String, allTags: Bool, quiet: Bool) throws {
    let parts = Display.splitReference(image)
    if allTags && parts.tag != nil { throw CLIExit(1, "tag can't be used with --all-tags/-a") }
    var tag = parts.tag
    if !allTags && tag == nil && parts.digest == nil {
        tag = "latest"
        if !quiet { out("Using default tag: latest") }
    }
    let client = try connectClient()
    let response = try client.pushImage(parts.repo, tag: tag, registryAuth: try registryAuth(for: image))
    let auxes = try renderProgress(response.body, to: .stdout, quiet: quiet)
    if quiet { out(withDefaultTag(image)) }
    _ = auxes
}

/// `berth push`.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Upload an image to a registry", usage: "berth push [OPTIONS] NAME[:TAG]")
    @Flag(name: [.customShort("a"), .customLong("all-tags")], help: "Push all tags of an image to the repository") var allTags = false
    @Flag(name: .shortAndLong, help: "Suppress verbose output") var quiet = false
    @Argument var image: String

    func run() throws { try pushImage(image, allTags: allTags, quiet: quiet) }
}

/// `berth image push`.
struct ImagePushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Upload an image to a registry", usage: "berth image push [OPTIONS] NAME[:TAG]")
    @Flag(name: [.customShort("a"), .customLong("all-tags")], help: "Push all tags of an image to the repository") var allTags = false
    @Flag(name: .shortAndLong, help: "Suppress verbose output") var quiet = false
    @Argument var image: String

    func run() throws { try pushImage(image, allTags: allTags, quiet: quiet) }
}

/// `berth login`.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Authenticate to a registry", usage: "berth login [OPTIONS] [SERVER]")
    @Option(name: .shortAndLong, help: "Username") var username: String?
    @Option(name: .shortAndLong, help: "Password or Personal Access Token (PAT)") var password: String?
    @Flag(name: .customLong("password-stdin"), help: "Take the Password or Personal Access Token (PAT) from stdin") var passwordStdin = false
    @Argument var server: String?

    func run() throws {
        let domain = CredentialFile.domain(ofServer: server)
        let key = CredentialFile.key(forDomain: domain)
        let file = CredentialFile.standard()
        var user = username ?? ""
        var secret = password ?? ""
        if passwordStdin {
            if password != nil { throw CLIExit(1, "--password and --password-stdin are mutually exclusive") }
            if user.isEmpty { throw CLIExit(1, "Must provide --username with --password-stdin") }
            secret = readAllStdin().trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        } else if password != nil {
            err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
        }
        if user.isEmpty || secret.isEmpty, let stored = try? file.credentials(forDomain: domain), password == nil, !passwordStdin {
            if user.isEmpty || user == stored.username { user = stored.username; secret = stored.password }
        }
        if user.isEmpty {
            guard isatty(0) == 1 else { throw CLIExit(1, "Error: Cannot perform an interactive login from a non TTY device") }
            outRaw("Username: ")
            user = readLine() ?? ""
            if user.isEmpty { throw CLIExit(1, "Error: Non-null Username Required") }
        }
        if secret.isEmpty {
            guard isatty(0) == 1 else { throw CLIExit(1, "Error: Cannot perform an interactive login from a non TTY device") }
            secret = String(cString: getpass("Password: "))
            if secret.isEmpty { throw CLIExit(1, "Error: Password Required") }
        }
        let credentials = StoredCredentials(username: user, password: secret)
        let client = try connectClient()
        let status = try client.login(credentials, serverAddress: key)
        do {
            try file.store(credentials, forDomain: domain)
        } catch {
            throw CLIExit(1, "Error saving credentials: \(error)")
        }
        out(status)
    }
}

/// `berth logout`.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Log out from a registry", usage: "berth logout [SERVER]")
    @Argument var server: String?

    func run() throws {
        let domain = CredentialFile.domain(ofServer: server)
        let key = CredentialFile.key(forDomain: domain)
        let removed: Bool
        do {
            removed = try CredentialFile.standard().remove(forDomain: domain)
        } catch {
            throw CLIExit(1, "\(error)")
        }
        out(removed ? "Removing login credentials for \(key)" : "Not logged in to \(key)")
    }
}

/// Everything on stdin.
func readAllStdin() -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(0, &buffer, buffer.count)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
