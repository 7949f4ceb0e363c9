import DockerAPI
import Foundation

/// The small value syntaxes of docker's flags.
public enum FlagParsers {
    /// `--ulimit name=soft[:hard]`.
    public static func ulimit(_ text: String) throws -> Ulimit {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw FlagError("invalid ulimit argument: \(text)") }
        let known: Set<String> = ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
                                  "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"]
        guard known.contains(parts[0]) else { throw FlagError("invalid ulimit type: \(parts[0])") }
        let limits = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard limits.count <= 2 else { throw FlagError("too many limit value arguments - \(parts[1]), can only have up to two, `soft[:hard]`") }
        guard let soft = Int64(limits[0]) else { throw FlagError("strconv.ParseInt: parsing \"\(limits[0])\": invalid syntax") }
        let hard = limits.count == 2 ? Int64(limits[1]) : soft
        guard let hard else { throw FlagError("strconv.ParseInt: parsing \"\(limits[1])\": invalid syntax") }
        guard soft <= hard || hard < 0 else {
            throw FlagError("ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard)")
        }
        return Ulimit(name: parts[0], soft: soft, hard: hard)
    }

    /// `--restart no|always|unless-stopped|on-failure[:N]`.
    public static func restartPolicy(_ text: String) throws -> RestartPolicy {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        guard ["no", "always", "unless-stopped", "on-failure"].contains(name) else {
            throw FlagError("invalid restart policy format: unknown policy '\(name)'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")
        }
        guard parts.count == 2 else { return RestartPolicy(name: name) }
        guard name == "on-failure" else {
            throw FlagError("invalid restart policy format: maximum retry count can only be used with 'on-failure'")
        }
        guard let count = Int(parts[1]), count >= 0 else {
            throw FlagError("invalid restart policy format: maximum retry count must be an integer")
        }
        return RestartPolicy(name: name, maximumRetryCount: count)
    }

    /// `--cpus 1.5` → nanoCPUs (1500000000), exactly as docker's rational parse.
    public static func nanoCPUs(_ text: String) throws -> Int64 {
        let invalid = FlagError.invalid(text, flag: "--cpus", "failed to parse \(text) as a rational number")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !text.isEmpty,
              let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])) else { throw invalid }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        if fraction.count > 9 {
            guard fraction.dropFirst(9).allSatisfy({ $0 == "0" }) else {
                throw FlagError.invalid(text, flag: "--cpus", "value is too precise")
            }
            fraction = String(fraction.prefix(9))
        }
        fraction += String(repeating: "0", count: 9 - fraction.count)
        return whole * 1_000_000_000 + (Int64(fraction) ?? 0)
    }

    /// `-e KEY=value` or `-e KEY` (taken from our environment when set there).
    public static func env(_ text: String, environment: EnvironmentLookup = .process) throws -> String {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty else { throw FlagError("invalid environment variable: \(text)") }
        if parts.count == 1, let value = environment[text] { return "\(text)=\(value)" }
        return text
    }

    /// The lines of an `--env-file` or `--label-file`: comments and blank lines
    /// skipped, `KEY` alone taken from our environment (dropped if unset there).
    public static func keyValueFile(_ path: String, environment: EnvironmentLookup = .process) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlagError("open \(path): no such file or directory")
        }
        var lines: [String] = []
        for (number, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            while line.first?.isWhitespace == true { line = line.dropFirst() }
            if line.last == "\r" { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard !name.isEmpty else { throw FlagError("no variable name on line '\(line)'") }
            if name.contains(where: \.isWhitespace) {
                throw FlagError("variable '\(name)' contains whitespaces (\(path) line \(number + 1))")
            }
            if parts.count == 2 { lines.append(String(line)) }
            else if let value = environment[name] { lines.append("\(name)=\(value)") }
        }
        return lines
    }

    /// `--add-host host:ip` (or `host=ip`) → `host:ip`.
    public static func extraHost(_ text: String) throws -> String {
        var separator: Character = ":"
        if text.contains("=") { separator = "=" }
        let parts = text.split(separator: separator, maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw FlagError("bad format for add-host: \"\(text)\"") }
        var ip = parts[1]
        if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
        return "\(parts[0]):\(ip)"
    }

    /// `key=value` labels (a bare key means an empty value).
    public static func labels(_ items: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// `--filter key=value` pairs.
    public static func filters(_ items: [String]) throws -> [(String, String)] {
        try items.map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw FlagError("bad format of filter (expected name=value)") }
            return (parts[0].lowercased(), parts[1])
        }
    }
}
