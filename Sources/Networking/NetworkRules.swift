import Foundation

/// The iptables rules a Berth network needs once, at its creation, rather than per container
/// (the CNI bridge plugin's ipMasq and the firewall plugin add and remove rules for every
/// container, ~40 ms of iptables calls per start and per stop; docker also keeps these per
/// network):
///
/// - filter `BERTH-FORWARD` (jumped to first from FORWARD): first the isolation chains, then
///   accepts for traffic leaving a bridge and replies coming back, so forwarding works when the
///   host's FORWARD policy drops (as it does beside dockerd);
/// - filter `BERTH-ISOLATION-STAGE-1/2`, docker's two-stage shape: traffic entering from one Berth
///   bridge and leaving on another is dropped; an internal network drops whatever crosses its bridge;
/// - nat `BERTH-POSTROUTING` (from POSTROUTING): masquerade of the network's subnet when it leaves
///   the bridge, unless the network is internal, and of connections portmap marked through
///   `BERTH-HOSTPORT-SETMARK`.
public struct NetworkRules: Sendable {
    public static let forward = "BERTH-FORWARD"
    public static let stage1 = "BERTH-ISOLATION-STAGE-1"
    public static let stage2 = "BERTH-ISOLATION-STAGE-2"
    public static let postrouting = "BERTH-POSTROUTING"
    /// portmap's `externalSetMarkChain`: marks connections to published ports that need
    /// masquerading (from 127.0.0.1 or hairpin); `BERTH-POSTROUTING` masquerades marked packets.
    /// Made once here, so portmap skips creating and checking its own mark and masquerade
    /// chains on every ADD (5 of its ~21 iptables calls).
    public static let setMark = "BERTH-HOSTPORT-SETMARK"
    static let mark = "0x2000/0x2000"
    public var iptables: String

    public init(iptables: String = "/usr/sbin/iptables") { self.iptables = iptables }

    /// One rule: table, chain, match and target.
    struct Rule { var table: String; var chain: String; var spec: [String] }

    /// A network's rules.
    static func rules(bridge: String, subnet: String, isInternal: Bool) -> [Rule] {
        if isInternal {
            return [Rule(table: "filter", chain: stage1, spec: ["-i", bridge, "!", "-o", bridge, "-j", "DROP"]),
                    Rule(table: "filter", chain: stage1, spec: ["!", "-i", bridge, "-o", bridge, "-j", "DROP"]),
                    Rule(table: "filter", chain: forward, spec: ["-i", bridge, "-o", bridge, "-j", "ACCEPT"])]
        }
        return [Rule(table: "filter", chain: stage1, spec: ["-i", bridge, "!", "-o", bridge, "-j", stage2]),
                Rule(table: "filter", chain: stage2, spec: ["-o", bridge, "-j", "DROP"]),
                Rule(table: "filter", chain: forward, spec: ["-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"]),
                Rule(table: "filter", chain: forward, spec: ["-i", bridge, "-j", "ACCEPT"]),
                Rule(table: "nat", chain: postrouting, spec: ["-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"])]
    }

    /// Creates the chains and their jumps when missing (idempotent).
    public func prepare() throws {
        for (table, chain) in [("filter", Self.forward), ("filter", Self.stage1), ("filter", Self.stage2), ("nat", Self.postrouting),
                               ("nat", Self.setMark)]
        where !run(["-t", table, "-n", "-L", chain]) {
            try must(["-t", table, "-N", chain])
        }
        if !run(["-t", "nat", "-C", Self.setMark, "-j", "MARK", "--set-xmark", Self.mark]) {
            try must(["-t", "nat", "-A", Self.setMark, "-j", "MARK", "--set-xmark", Self.mark])
        }
        if !run(["-t", "nat", "-C", Self.postrouting, "-m", "mark", "--mark", Self.mark, "-j", "MASQUERADE"]) {
            try must(["-t", "nat", "-I", Self.postrouting, "1", "-m", "mark", "--mark", Self.mark, "-j", "MASQUERADE"])
        }
        if !run(["-C", Self.forward, "-j", Self.stage1]) { try must(["-I", Self.forward, "1", "-j", Self.stage1]) }
        if !run(["-C", "FORWARD", "-j", Self.forward]) { try must(["-I", "FORWARD", "1", "-j", Self.forward]) }
        if !run(["-t", "nat", "-C", "POSTROUTING", "-j", Self.postrouting]) { try must(["-t", "nat", "-I", "POSTROUTING", "1", "-j", Self.postrouting]) }
    }

    /// Adds a network's rules (idempotent).
    public func add(bridge: String, subnet: String, isInternal: Bool) throws {
        try prepare()
        for rule in Self.rules(bridge: bridge, subnet: subnet, isInternal: isInternal)
        where !run(["-t", rule.table, "-C", rule.chain] + rule.spec) {
            try must(["-t", rule.table, "-A", rule.chain] + rule.spec)
        }
    }

    /// Removes a network's rules (missing ones are fine).
    public func remove(bridge: String, subnet: String, isInternal: Bool) {
        for rule in Self.rules(bridge: bridge, subnet: subnet, isInternal: isInternal) {
            while run(["-t", rule.table, "-D", rule.chain] + rule.spec) {}
        }
    }

    private func must(_ arguments: [String]) throws {
        let result = Self.execute(iptables, ["-w"] + arguments)
        if result.status != 0 {
            throw CNIFailure(network: "-", plugin: "iptables", command: arguments.joined(separator: " "), message: result.output)
        }
    }

    private func run(_ arguments: [String]) -> Bool { Self.execute(iptables, ["-w"] + arguments).status == 0 }

    static func execute(_ path: String, _ arguments: [String]) -> (status: Int32, output: String) {
        guard let output = try? PluginProcess.run(path, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], input: Data(), arguments: arguments) else {
            return (127, "\(path) could not be run")
        }
        return (output.status, String(decoding: output.stderr + output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
