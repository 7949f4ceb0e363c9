import Foundation

/// The iptables rules that keep Berth's networks apart, in docker's two-stage shape:
/// traffic leaving network A's bridge for another interface goes to stage 2, which drops it
/// when that interface is another Berth bridge; an internal network drops everything that
/// crosses its bridge. The rules live in the filter table's `BERTH-ISOLATION-STAGE-1/2`
/// chains, jumped to first from FORWARD and from CNI-ADMIN (the firewall plugin's chain for
/// administrator rules, evaluated before its own accepts).
public struct Isolation: Sendable {
    public static let stage1 = "BERTH-ISOLATION-STAGE-1"
    public static let stage2 = "BERTH-ISOLATION-STAGE-2"
    public var iptables: String

    public init(iptables: String = "/usr/sbin/iptables") { self.iptables = iptables }

    /// The rules for one network.
    static func rules(bridge: String, isInternal: Bool) -> [(chain: String, rule: [String])] {
        if isInternal {
            return [(stage1, ["-i", bridge, "!", "-o", bridge, "-j", "DROP"]),
                    (stage1, ["!", "-i", bridge, "-o", bridge, "-j", "DROP"])]
        }
        return [(stage1, ["-i", bridge, "!", "-o", bridge, "-j", stage2]),
                (stage2, ["-o", bridge, "-j", "DROP"])]
    }

    /// Creates the chains and jumps when missing (idempotent).
    public func prepare() throws {
        for chain in [Self.stage1, Self.stage2] where !run(["-w", "-n", "-L", chain]) {
            try must(["-w", "-N", chain])
        }
        if !run(["-w", "-C", "FORWARD", "-j", Self.stage1]) { try must(["-w", "-I", "FORWARD", "1", "-j", Self.stage1]) }
        if !run(["-w", "-n", "-L", "CNI-ADMIN"]) { try must(["-w", "-N", "CNI-ADMIN"]) }
        if !run(["-w", "-C", "CNI-ADMIN", "-j", Self.stage1]) { try must(["-w", "-A", "CNI-ADMIN", "-j", Self.stage1]) }
    }

    /// Adds a network's rules (idempotent).
    public func add(bridge: String, isInternal: Bool) throws {
        try prepare()
        for (chain, rule) in Self.rules(bridge: bridge, isInternal: isInternal) where !run(["-w", "-C", chain] + rule) {
            try must(["-w", "-A", chain] + rule)
        }
    }

    /// Removes a network's rules (missing ones are fine).
    public func remove(bridge: String, isInternal: Bool) {
        for (chain, rule) in Self.rules(bridge: bridge, isInternal: isInternal) {
            while run(["-w", "-D", chain] + rule) {}
        }
    }

    /// Removes the chains and jumps entirely (when the last network is gone, and in tests).
    public func removeAll() {
        while run(["-w", "-D", "FORWARD", "-j", Self.stage1]) {}
        while run(["-w", "-D", "CNI-ADMIN", "-j", Self.stage1]) {}
        for chain in [Self.stage1, Self.stage2] {
            _ = run(["-w", "-F", chain]); _ = run(["-w", "-X", chain])
        }
    }

    private func must(_ arguments: [String]) throws {
        let result = Self.execute(iptables, arguments)
        if result.status != 0 {
            throw CNIFailure(network: "-", plugin: "iptables", command: arguments.joined(separator: " "), message: result.output)
        }
    }

    private func run(_ arguments: [String]) -> Bool { Self.execute(iptables, arguments).status == 0 }

    static func execute(_ path: String, _ arguments: [String]) -> (status: Int32, output: String) {
        guard let output = try? PluginProcess.run(path, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], input: Data(), arguments: arguments) else {
            return (127, "\(path) could not be run")
        }
        return (output.status, String(decoding: output.stderr + output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
