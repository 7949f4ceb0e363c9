import DockerAPI

/// `-p [ip:][hostPort:]containerPort[/proto]` and `--expose port[-end][/proto]`,
/// parsed as docker's `nat.ParsePortSpec` does (ranges map one to one).
public enum PortSpec {
    /// One container port and the host bindings published for it.
    public struct Mapping: Equatable, Sendable {
        /// `80/tcp`.
        public var port: String
        public var binding: PortBinding
    }

    /// Parses one `-p` value into one mapping per port of the range.
    public static func parsePublish(_ text: String) throws -> [Mapping] {
        var rest = Substring(text)
        var proto = "tcp"
        if let slash = rest.lastIndex(of: "/") {
            proto = String(rest[rest.index(after: slash)...]).lowercased()
            rest = rest[..<slash]
            guard ["tcp", "udp", "sctp"].contains(proto) else { throw FlagError("invalid proto: \(proto)") }
        }
        var ip = ""
        var hostPart = ""
        var containerPart = ""
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw FlagError("invalid IP address: \(rest)") }
            ip = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { throw FlagError("invalid port format for --publish: \(text)") }
            let parts = after.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw FlagError("invalid port format for --publish: \(text)") }
            hostPart = String(parts[0]); containerPart = String(parts[1])
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1: containerPart = parts[0]
            case 2: hostPart = parts[0]; containerPart = parts[1]
            case 3: ip = parts[0]; hostPart = parts[1]; containerPart = parts[2]
            default:
                // An unbracketed IPv6 address: the last two parts are the ports.
                ip = parts.dropLast(2).joined(separator: ":"); hostPart = parts[parts.count - 2]; containerPart = parts[parts.count - 1]
            }
        }
        guard !containerPart.isEmpty else { throw FlagError("no port specified: \(text)<empty>") }
        let (start, end) = try range(containerPart, what: "containerPort", text: text)
        var hostStart = 0, hostEnd = 0
        if !hostPart.isEmpty {
            (hostStart, hostEnd) = try range(hostPart, what: "hostPort", text: text)
            let containerCount = end - start, hostCount = hostEnd - hostStart
            if hostCount != containerCount, !(containerCount == 0 && hostCount >= 0) {
                throw FlagError("invalid ranges specified for container and host Ports: \(containerPart) and \(hostPart)")
            }
        }
        return (start...end).enumerated().map { offset, port in
            var hostPort = ""
            if !hostPart.isEmpty {
                hostPort = end == start && hostEnd != hostStart ? "\(hostStart)-\(hostEnd)" : String(hostStart + offset)
            }
            return Mapping(port: "\(port)/\(proto)", binding: PortBinding(hostIp: ip, hostPort: hostPort))
        }
    }

    /// Parses one `--expose` value into `port/proto` keys.
    public static func parseExpose(_ text: String) throws -> [String] {
        var rest = Substring(text)
        var proto = "tcp"
        if let slash = rest.lastIndex(of: "/") {
            proto = String(rest[rest.index(after: slash)...]).lowercased()
            rest = rest[..<slash]
        }
        if rest.contains(":") { throw FlagError("invalid port format for --expose: \(text)") }
        let (start, end) = try range(String(rest), what: "port", text: text)
        return (start...end).map { "\($0)/\(proto)" }
    }

    static func range(_ text: String, what: String, text full: String) throws -> (Int, Int) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let start = Int(parts[0]), (0...65535).contains(start) else {
            throw FlagError("invalid \(what): \(text)")
        }
        guard parts.count == 2 else { return (start, start) }
        guard let end = Int(parts[1]), (start...65535).contains(end) else { throw FlagError("invalid \(what): \(text)") }
        return (start, end)
    }
}
