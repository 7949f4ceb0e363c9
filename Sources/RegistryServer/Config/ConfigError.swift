/// A configuration input that could not be used, with the file (and line) it came from.
public enum ConfigError: Error, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(String)
    /// The file's content is wrong.
    case invalid(String, line: Int?, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read"
        case .invalid(let path, let line, let reason): "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
        }
    }
}
