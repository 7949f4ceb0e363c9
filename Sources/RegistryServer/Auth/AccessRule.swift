/// What a request may do to a repository.
public enum RegistryAction: String, Sendable, Codable, CaseIterable {
    /// Read manifests, blobs, tags, referrers.
    case pull
    /// Upload blobs and put manifests.
    case push
    /// Delete manifests, tags and blob links.
    case delete
}

/// One access rule of the config: users matching `user` may do `actions` on repositories matching
/// `repository`. `user` is a name, `*` (any authenticated user) or `anonymous`; `repository` is a glob
/// where `*` matches any run of characters (slashes too) and `${user}` stands for the user's name.
public struct AccessRule: Sendable, Codable, Equatable {
    /// Who the rule is for.
    public var user: String
    /// Which repositories.
    public var repository: String
    /// What they may do.
    public var actions: [RegistryAction]

    /// Creates a rule.
    public init(user: String, repository: String, actions: [RegistryAction]) {
        self.user = user
        self.repository = repository
        self.actions = actions
    }

    /// The rules used when the config has none: authenticated users may do anything.
    public static let defaults = [AccessRule(user: "*", repository: "*", actions: RegistryAction.allCases)]

    /// Whether the rule covers this user (nil: anonymous) and repository.
    func matches(user: String?, repository name: String) -> Bool {
        switch (self.user, user) {
        case ("anonymous", nil): break
        case ("*", .some): break
        case (let wanted, .some(let actual)) where wanted == actual: break
        default: return false
        }
        let pattern = repository.replacingOccurrences(of: "${user}", with: user ?? "\u{0}")
        return Self.glob(Array(pattern.utf8)[...], Array(name.utf8)[...])
    }

    /// The actions `rules` grant to a user on a repository.
    static func allowed(_ rules: [AccessRule], user: String?, repository: String) -> Set<RegistryAction> {
        var result: Set<RegistryAction> = []
        for rule in rules where rule.matches(user: user, repository: repository) { result.formUnion(rule.actions) }
        return result
    }

    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            let rest = pattern.dropFirst()
            var tail = text
            while true {
                if glob(rest, tail) { return true }
                if tail.isEmpty { return false }
                tail = tail.dropFirst()
            }
        }
        guard let head = text.first, head == first else { return false }
        return glob(pattern.dropFirst(), text.dropFirst())
    }
}
