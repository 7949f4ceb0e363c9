import Foundation

/// Where the daemon listens: a unix socket path.
///
/// Accepted forms are `unix:///path` and a plain absolute or relative path. The
/// `-H`/`--host` flag wins over `BERTH_HOST`, which wins over the default.
public struct DaemonAddress: Sendable, Equatable, CustomStringConvertible {
    /// The default socket of berthd.
    public static let defaultSocketPath = "/run/berth/berth.sock"

    /// Filesystem path of the socket.
    public var socketPath: String

    /// The address as the user would write it (`unix:///run/berth/berth.sock`).
    public var description: String { "unix://" + socketPath }

    public init(socketPath: String) { self.socketPath = socketPath }

    /// Parses `unix:///path` or a plain path; other schemes are refused by name.
    public init(parsing text: String) throws {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard !path.isEmpty else { throw ClientError.invalidHost(text, reason: "the socket path is empty") }
            socketPath = path
        } else if let range = text.range(of: "://") {
            let scheme = text[..<range.lowerBound]
            throw ClientError.invalidHost(text, reason: "the \(scheme) scheme is not supported, only unix://")
        } else if text.isEmpty {
            throw ClientError.invalidHost(text, reason: "the address is empty")
        } else {
            socketPath = text
        }
    }

    /// The address to use: the flag if given, else `BERTH_HOST`, else the default socket.
    public static func resolve(flag: String?, environment: EnvironmentLookup = .process) throws -> DaemonAddress {
        if let flag, !flag.isEmpty { return try DaemonAddress(parsing: flag) }
        if let env = environment["BERTH_HOST"], !env.isEmpty { return try DaemonAddress(parsing: env) }
        return DaemonAddress(socketPath: defaultSocketPath)
    }
}
