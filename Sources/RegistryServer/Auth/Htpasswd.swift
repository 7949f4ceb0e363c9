import Crypto
import Foundation
import HummingbirdBcrypt

/// An htpasswd file of bcrypt entries (`user:$2y$…`, as `htpasswd -B` writes them).
public struct Htpasswd: Sendable {
    /// Bcrypt hash per user.
    let entries: [String: String]

    /// Parses the file's text; blank lines and `#` comments are skipped, non-bcrypt entries rejected.
    public init(text: String, path: String = "htpasswd") throws(ConfigError) {
        var entries: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw ConfigError.invalid(path, line: number + 1, "expected user:hash")
            }
            let hash = String(trimmed[trimmed.index(after: colon)...])
            guard hash.hasPrefix("$2y$") || hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") else {
                throw ConfigError.invalid(path, line: number + 1, "only bcrypt ($2y$) entries are supported")
            }
            entries[String(trimmed[..<colon])] = hash
        }
        self.entries = entries
    }

    /// Reads and parses an htpasswd file.
    public init(path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError.unreadable(path) }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// An htpasswd line for a user, bcrypt-hashed with the `$2y$` prefix htpasswd writes.
    public static func line(user: String, password: String, cost: UInt8 = 10) -> String {
        "\(user):$2y$" + Bcrypt.hash(password, cost: cost).dropFirst(4)
    }

    /// Whether the password matches the user's entry (bcrypt: slow by design; see ``CredentialCache``).
    func verify(user: String, password: String) -> Bool {
        guard var hash = entries[user] else { return false }
        // $2y$ (PHP/htpasswd) and $2b$ are the same algorithm; the bcrypt library knows only $2a$/$2b$.
        if hash.hasPrefix("$2y$") { hash = "$2b$" + hash.dropFirst(4) }
        return Bcrypt.verify(password, hash: hash)
    }
}

/// Remembers credentials that verified, so bcrypt runs once per user and password rather than per request.
/// Keys are SHA-256 of `user:password`; entries expire after five minutes.
actor CredentialCache {
    private var verified: [Data: Date] = [:]
    private let htpasswd: Htpasswd

    init(htpasswd: Htpasswd) { self.htpasswd = htpasswd }

    /// Verifies `user`/`password` against the file, from the cache when it was verified recently.
    func verify(user: String, password: String) async -> Bool {
        let key = Data(SHA256.hash(data: Data("\(user):\(password)".utf8)))
        if let time = verified[key], time.timeIntervalSinceNow > -300 { return true }
        let htpasswd = self.htpasswd
        let ok = await Task.detached { htpasswd.verify(user: user, password: password) }.value
        if ok {
            if verified.count > 1000 { verified.removeAll() }
            verified[key] = Date()
        }
        return ok
    }
}
