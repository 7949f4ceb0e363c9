import DockerAPI

/// Resolves docker's `-u` and `--group-add` against the image's /etc/passwd and /etc/group,
/// with the semantics of runc's (moby/sys) user lookup that docker uses:
///
/// - `-u` forms: empty (root), `name`, `uid`, `name:group`, `uid:gid`, `name:gid`, `uid:group`.
///   A numeric part is always an ID, never a name.
/// - A name must exist (``SpecBuildError/unknownUser(_:)``); a numeric uid need not: it then
///   runs with gid 0 and home "/".
/// - A found user gets its passwd gid and home, plus, when no group is given, every group
///   that lists it as a member.
/// - `--group-add` takes names or gids; an unknown name is an error, an unknown gid is used as is.
/// - `additionalGids` lists the primary gid first, as docker does.
public enum UserResolver {
    /// The highest uid/gid docker accepts.
    public static let maxID: Int64 = 2_147_483_647

    /// One /etc/passwd entry.
    public struct PasswdEntry: Sendable, Equatable {
        /// Login name.
        public var name: String
        /// User ID.
        public var uid: Int64
        /// Primary group ID.
        public var gid: Int64
        /// Home directory ("/" when the field is empty).
        public var home: String
    }

    /// One /etc/group entry.
    public struct GroupEntry: Sendable, Equatable {
        /// Group name.
        public var name: String
        /// Group ID.
        public var gid: Int64
        /// Names of the users listed as members.
        public var members: [String]
    }

    /// Resolves `user` (the merged config's `User`) and `groupAdd` against the texts of
    /// /etc/passwd and /etc/group (nil when the image has no such file).
    public static func resolve(
        user: String?, groupAdd: [String]? = nil, passwd: String?, group: String?
    ) throws(SpecBuildError) -> ResolvedUser {
        let spec = user ?? ""
        let userArg: Substring
        let groupArg: Substring
        if let colon = spec.firstIndex(of: ":") {
            userArg = spec[..<colon]
            groupArg = spec[spec.index(after: colon)...]
        } else {
            userArg = spec[...]
            groupArg = ""
        }
        let users = passwd.map(parsePasswd) ?? []
        let groups = group.map(parseGroup) ?? []

        var uid: Int64 = 0
        var gid: Int64 = 0
        var home = "/"
        var matchedName: String?
        let numericUser = numericID(userArg)
        let match: PasswdEntry?
        if userArg.isEmpty {
            match = users.first { $0.uid == 0 }
        } else if let numericUser {
            match = users.first { $0.uid == numericUser }
        } else {
            match = users.first { $0.name == userArg }
        }
        if let match {
            uid = match.uid
            gid = match.gid
            home = match.home
            matchedName = match.name
        } else if !userArg.isEmpty {
            guard let numericUser else { throw .unknownUser(String(userArg)) }
            guard (0...maxID).contains(numericUser) else { throw .idOutOfRange(String(userArg)) }
            uid = numericUser
        }

        var supplementary: [Int64] = []
        if !groupArg.isEmpty {
            let numericGroup = numericID(groupArg)
            if let found = groups.first(where: { numericGroup != nil ? $0.gid == numericGroup : $0.name == groupArg }) {
                gid = found.gid
            } else {
                guard let numericGroup else { throw .unknownGroup(String(groupArg)) }
                guard (0...maxID).contains(numericGroup) else { throw .idOutOfRange(String(groupArg)) }
                gid = numericGroup
            }
        } else if let matchedName {
            supplementary = groups.filter { $0.members.contains(matchedName) }.map(\.gid)
        }

        var added: [Int64] = []
        for name in groupAdd ?? [] {
            if let found = groups.first(where: { ($0.name == name || String($0.gid) == name) && !added.contains($0.gid) }) {
                added.append(found.gid)
                continue
            }
            if groups.contains(where: { $0.name == name || String($0.gid) == name }) { continue }
            guard let numeric = numericID(name[...]) else { throw .unknownAdditionalGroup(name) }
            guard (0...maxID).contains(numeric) else { throw .idOutOfRange(name) }
            if !added.contains(numeric) { added.append(numeric) }
        }

        let all = [gid] + supplementary + added
        return ResolvedUser(uid: UInt32(uid), gid: UInt32(gid), additionalGids: all.map { UInt32($0) }, home: home)
    }

    /// Entries of an /etc/passwd text (`name:password:uid:gid:gecos:home:shell`); blank,
    /// comment and malformed lines are skipped.
    public static func parsePasswd(_ text: String) -> [PasswdEntry] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, let uid = Int64(fields[2]), let gid = Int64(fields[3]) else { return nil }
            let home = fields.count > 5 && !fields[5].isEmpty ? String(fields[5]) : "/"
            return PasswdEntry(name: String(fields[0]), uid: uid, gid: gid, home: home)
        }
    }

    /// Entries of an /etc/group text (`name:password:gid:member,member`); blank, comment
    /// and malformed lines are skipped.
    public static func parseGroup(_ text: String) -> [GroupEntry] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, let gid = Int64(fields[2]) else { return nil }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map { String($0.trimmingWhitespace()) } : []
            return GroupEntry(name: String(fields[0]), gid: gid, members: members.filter { !$0.isEmpty })
        }
    }

    /// A decimal ID (Go's Atoi: optional sign), or nil for a name.
    static func numericID(_ text: Substring) -> Int64? {
        guard !text.isEmpty else { return nil }
        return Int64(text)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
