import Glibc

/// Where BERTH_HOST, `-e KEY` and `--env-file` lines without a value are looked up: the
/// process's environment, read a name at a time with getenv (ProcessInfo's `environment`
/// copies all of it into a dictionary at every use, a measurable part of a `berth run`), or a
/// fixed set of values (tests).
public struct EnvironmentLookup: Sendable, ExpressibleByDictionaryLiteral {
    private let fixed: [String: String]?

    /// The process's environment.
    public static let process = EnvironmentLookup(fixed: nil)

    private init(fixed: [String: String]?) { self.fixed = fixed }
    public init(_ values: [String: String]) { fixed = values }
    public init(dictionaryLiteral elements: (String, String)...) {
        fixed = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(name: String) -> String? {
        if let fixed { return fixed[name] }
        return getenv(name).map { String(cString: $0) }
    }
}
