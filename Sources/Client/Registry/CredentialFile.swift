import Foundation

/// A user name and password for one registry.
public struct StoredCredentials: Sendable, Equatable {
    /// The user name.
    public var username: String
    /// The password (or token).
    public var password: String
    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The `X-Registry-Auth` header for these credentials at `serverAddress`: base64url of docker's AuthConfig JSON.
    public func registryAuthHeader(serverAddress: String) -> String {
        let object: [String: String] = ["username": username, "password": password, "serveraddress": serverAddress]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// The CLI's credentials in docker's `config.json` format: `{"auths": {"<server>": {"auth": base64("user:password")}}}`,
/// at `$BERTH_CONFIG/config.json` or `~/.berth/config.json`. Other keys in the file are kept as they are;
/// the file is written to a temporary name with mode 0600 and renamed.
public struct CredentialFile: Sendable {
    /// The file's path.
    public let path: String

    /// Docker Hub's key in `auths`, as docker writes it.
    public static let dockerHubServer = "https://index.docker.io/v1/"

    /// The file at `path`.
    public init(path: String) { self.path = path }

    /// `$BERTH_CONFIG/config.json`, else `$HOME/.berth/config.json`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> CredentialFile {
        if let dir = environment["BERTH_CONFIG"], !dir.isEmpty { return CredentialFile(path: dir + "/config.json") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return CredentialFile(path: home + "/.berth/config.json")
    }

    /// The `auths` key for a registry domain (`docker.io` → Docker Hub's URL key).
    public static func key(forDomain domain: String) -> String {
        domain == "docker.io" || domain == "index.docker.io" || domain == "registry-1.docker.io" ? dockerHubServer : domain
    }

    /// The registry domain a login `server` argument names (`https://r.example:5000/v2/` → `r.example:5000`).
    public static func domain(ofServer server: String?) -> String {
        guard var text = server?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return "docker.io" }
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if text == "index.docker.io" || text == "registry-1.docker.io" { return "docker.io" }
        return text
    }

    /// The whole document (an empty one when the file is absent).
    func document() throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CredentialFileError.malformed(path: path, reason: "the top level is not a JSON object")
        }
        return object
    }

    /// The credentials stored for registry `domain`, trying docker's spellings of the key
    /// (`host`, `https://host`, `http://host`, Hub's URL).
    public func credentials(forDomain domain: String) throws -> StoredCredentials? {
        let auths = try document()["auths"] as? [String: Any] ?? [:]
        let key = Self.key(forDomain: domain)
        for candidate in [key, "https://" + domain, "http://" + domain, domain] where auths[candidate] != nil {
            if let found = try credentials(forKey: candidate) { return found }
        }
        return nil
    }

    /// The credentials stored under `key` in `auths` (an `auth` of base64 `user:password`, or the
    /// separate fields).
    func credentials(forKey key: String) throws -> StoredCredentials? {
        let auths = try document()["auths"] as? [String: Any] ?? [:]
        guard let entry = auths[key] as? [String: Any] else { return nil }
        if let auth = entry["auth"] as? String, let data = Data(base64Encoded: auth) {
            let text = String(decoding: data, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else {
                throw CredentialFileError.malformed(path: path, reason: "the auth of \(key) is not base64 of user:password")
            }
            return StoredCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
        if let user = entry["username"] as? String, let password = entry["password"] as? String {
            return StoredCredentials(username: user, password: password)
        }
        return nil
    }

    /// Every stored credential, by its key in `auths` (`localhost:5000`, `https://index.docker.io/v1/`).
    public func allCredentials() throws -> [String: StoredCredentials] {
        let auths = try document()["auths"] as? [String: Any] ?? [:]
        var result: [String: StoredCredentials] = [:]
        for key in auths.keys {
            if let credentials = try credentials(forKey: key) { result[key] = credentials }
        }
        return result
    }

    /// The `X-Registry-Config` header of a build, as the docker CLI sends it: base64url of a JSON
    /// object of every stored credential by server; nil when there are none.
    public func registryConfigHeader() throws -> String? {
        let all = try allCredentials()
        guard !all.isEmpty else { return nil }
        var object: [String: [String: String]] = [:]
        for (key, credentials) in all {
            object[key] = ["username": credentials.username, "password": credentials.password, "serveraddress": key]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// Stores `credentials` for registry `domain`.
    public func store(_ credentials: StoredCredentials, forDomain domain: String) throws {
        var document = try document()
        var auths = document["auths"] as? [String: Any] ?? [:]
        let auth = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        auths[Self.key(forDomain: domain)] = ["auth": auth]
        document["auths"] = auths
        try write(document)
    }

    /// Forgets the credentials of `domain`; false when there were none.
    @discardableResult
    public func remove(forDomain domain: String) throws -> Bool {
        var document = try document()
        var auths = document["auths"] as? [String: Any] ?? [:]
        var removed = false
        for candidate in [Self.key(forDomain: domain), "https://" + domain, "http://" + domain, domain] where auths[candidate] != nil {
            auths[candidate] = nil
            removed = true
        }
        guard removed else { return false }
        document["auths"] = auths
        try write(document)
        return true
    }

    private func write(_ document: [String: Any]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CredentialFileError.cannotWrite(path: temporary)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CredentialFileError.cannotWrite(path: path)
        }
    }
}

/// Why the credential file could not be used.
public enum CredentialFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not docker's format.
    case malformed(path: String, reason: String)
    /// The file could not be written.
    case cannotWrite(path: String)

    public var description: String {
        switch self {
        case .malformed(let path, let reason): "\(path): \(reason)"
        case .cannotWrite(let path): "cannot write \(path)"
        }
    }
}
