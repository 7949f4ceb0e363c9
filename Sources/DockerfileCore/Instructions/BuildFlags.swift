/// An instruction's `--flags`, checked against the flags it accepts (docker's BFlags).
struct BuildFlags {
    enum Kind { case bool, string, strings }

    private let given: [String]
    private var declared: [String: Kind] = [:]
    private(set) var strings: [String: String] = [:]
    private(set) var lists: [String: [String]] = [:]
    private(set) var bools: [String: Bool] = [:]
    /// Flags that were given, in order of first use.
    private(set) var used: [String] = []

    init(_ given: [String]) { self.given = given }

    mutating func declare(_ name: String, _ kind: Kind) { declared[name] = kind }

    /// Checks and reads the given flags.
    mutating func parse() throws(DockerfileError) {
        for flag in given {
            if flag == "--" { return }
            guard flag.hasPrefix("--") else { throw DockerfileError(.flag, "arg should start with -- : \(flag)") }
            let name: String
            let value: String?
            if let equals = flag.firstIndex(of: "=") {
                name = String(flag[..<equals])
                value = String(flag[flag.index(after: equals)...])
            } else {
                name = flag
                value = nil
            }
            let key = String(name.dropFirst(2))
            guard let kind = declared[key] else { throw DockerfileError(.flag, "unknown flag: \(name)") }
            if used.contains(key) && kind != .strings {
                throw DockerfileError(.flag, "duplicate flag specified: \(name)")
            }
            if !used.contains(key) { used.append(key) }
            switch kind {
            case .bool:
                if let value, value.isEmpty { throw DockerfileError(.flag, "missing a value on flag: \(name)") }
                switch (value ?? "").lowercased() {
                case "true", "": bools[key] = true
                case "false": bools[key] = false
                default: throw DockerfileError(.flag, "expecting boolean value for flag \(name), not: \(value ?? "")")
                }
            case .string:
                guard let value else { throw DockerfileError(.flag, "missing a value on flag: \(name)") }
                strings[key] = value
            case .strings:
                guard let value else { throw DockerfileError(.flag, "missing a value on flag: \(name)") }
                lists[key, default: []].append(value)
            }
        }
    }

    /// A string flag's value, nil when not given.
    func string(_ name: String) -> String? { strings[name] }
    /// A bool flag's value, false when not given.
    func bool(_ name: String) -> Bool { bools[name] ?? false }
}
