/// The build arguments one stage can see (docker's BuildArgs): `--build-arg` values, the global
/// ARGs, the ARGs this stage declared, and the predefined proxy arguments.
public struct BuildArgScope: Sendable, Equatable {
    /// Proxy variables that need no ARG and stay out of history unless declared.
    public static let predefinedNames: Set<String> = [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ]

    /// `--build-arg` values.
    public private(set) var options: [String: String]
    /// Values of the global ARGs (after overrides); what a bare `ARG NAME` in a stage inherits.
    public private(set) var globals: [String: String]
    /// ARGs declared in this stage so far, with their (expanded) defaults.
    public private(set) var declared: [String: String?]

    /// A scope with no stage ARGs yet.
    public init(options: [String: String], globals: [String: String]) {
        self.options = options
        self.globals = globals
        self.declared = [:]
    }

    /// Declares an ARG (its default already expanded).
    public mutating func declare(_ name: String, defaultValue: String?) {
        declared[name] = .some(defaultValue)
    }

    /// The value of an argument in scope: the `--build-arg`, else the default, else the global value.
    public func value(of name: String) -> String? {
        let isDeclared = declared.keys.contains(name)
        guard isDeclared || Self.predefinedNames.contains(name) else { return nil }
        if let option = options[name] { return option }
        if isDeclared, let defaultValue = declared[name], let defaultValue { return defaultValue }
        return globals[name]
    }

    /// Every argument with a value, sorted by name: declared ones and given proxy ones.
    public var values: [(name: String, value: String)] {
        let names = Set(declared.keys).union(Self.predefinedNames)
        return names.sorted().compactMap { name in value(of: name).map { (name, $0) } }
    }

    /// Arguments not shadowed by a variable of `env` (`KEY=value` list), as `KEY=value`, sorted.
    public func environment(excluding env: [String]) -> [String] {
        let shadowed = Set(env.map { splitAssignment($0).0 })
        return values.filter { !shadowed.contains($0.name) }.map { $0.name + "=" + $0.value }
    }

    /// True for arguments that appear in RUN's history prefix: declared ones, or anything not predefined.
    public func isRecorded(_ name: String) -> Bool {
        declared.keys.contains(name) || !Self.predefinedNames.contains(name)
    }
}
