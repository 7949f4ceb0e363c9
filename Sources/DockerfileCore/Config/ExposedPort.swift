/// EXPOSE values as docker reads them (go-connections nat.ParsePortSpecs, container side):
/// `80`, `80/udp`, `8000-8010/tcp`, `127.0.0.1:8080:80`.
public enum ExposedPort {
    /// The `port/proto` keys a spec stands for (ranges expanded).
    public static func keys(_ spec: String) throws(DockerfileError) -> [String] {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        let containerPort = String(parts[parts.count - 1])
        guard !containerPort.isEmpty else { throw DockerfileError(.arguments, "no port specified: \(spec)<empty>") }
        let protoParts = containerPort.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var port = protoParts[0]
        var proto = "tcp"
        if protoParts.count > 1 && !protoParts[1].isEmpty { proto = protoParts[1] }
        if protoParts.count == 1 { port = containerPort }
        proto = proto.lowercased()
        guard ["tcp", "udp", "sctp"].contains(proto) else { throw DockerfileError(.arguments, "invalid proto: \(proto)") }
        let bounds = port.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let start = UInt16(bounds[0]), let end = bounds.count == 2 ? UInt16(bounds[1]) : start, start <= end else {
            throw DockerfileError(.arguments, "invalid containerPort: \(port)")
        }
        return (start...end).map { "\($0)/\(proto)" }
    }
}

/// Signal names docker accepts for STOPSIGNAL (moby/sys/signal on Linux), without `SIG`.
enum SignalNames {
    static let names: Set<String> = {
        var names: Set<String> = [
            "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL",
            "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1",
            "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
        ]
        for offset in 1...15 { names.insert("RTMIN+\(offset)") }
        for offset in 1...14 { names.insert("RTMAX-\(offset)") }
        return names
    }()

    /// True when `signal` is a number other than 0 or a known name (any case, `SIG` optional).
    static func isValid(_ signal: String) -> Bool {
        if let number = Int(signal) { return number != 0 }
        var name = signal.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        return names.contains(name)
    }
}
