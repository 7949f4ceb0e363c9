/// Variables visible to expansion: `KEY=value` entries, later entries winning, names case-sensitive (Linux).
public struct ShellEnvironment: Sendable, Equatable {
    private var values: [String: String]
    /// Names in the order they were first given.
    public private(set) var keys: [String]

    /// An environment from `KEY=value` strings (an entry without `=` has an empty value).
    public init(_ entries: [String] = []) {
        values = [:]
        keys = []
        for entry in entries {
            let (key, value) = splitAssignment(entry)
            set(key, value)
        }
    }

    /// An environment from a dictionary (keys sorted for a stable order).
    public init(_ dictionary: [String: String]) {
        self.init(dictionary.keys.sorted().map { $0 + "=" + dictionary[$0]! })
    }

    /// The value of a variable, nil when unset.
    public subscript(name: String) -> String? { values[name] }

    /// Sets a variable.
    public mutating func set(_ name: String, _ value: String) {
        if values.updateValue(value, forKey: name) == nil { keys.append(name) }
    }

    /// `KEY=value` strings in key order.
    public var entries: [String] { keys.map { $0 + "=" + values[$0]! } }
}

/// Splits `KEY=value` at the first `=`; no `=` gives an empty value.
func splitAssignment(_ entry: String) -> (String, String) {
    if let index = entry.firstIndex(of: "=") {
        return (String(entry[..<index]), String(entry[entry.index(after: index)...]))
    }
    return (entry, "")
}
