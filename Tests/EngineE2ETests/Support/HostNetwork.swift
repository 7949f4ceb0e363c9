// What a test daemon's networking leaves on the host and how to remove it: its default bridge
// (daemon state, like docker0), the isolation rules for its bridges, and the shared CNI/Berth
// chains when the test run created them. Also the observations the leak checks compare.
import Foundation
import Glibc

enum HostNetwork {
    /// Chains that existed before any test daemon ran (evaluated at first use: before the first launch).
    static let chainsBefore: Set<String> = chains()
    nonisolated(unsafe) private static var liveDaemons = 0
    private static let lock = NSLock()

    /// A bridge name no other daemon uses: `bt` and 8 random hex digits.
    static func uniqueBridgeName() -> String {
        _ = chainsBefore
        lock.withLock { liveDaemons += 1 }
        return "bt" + String(format: "%08x", UInt32.random(in: 0...UInt32.max))
    }

    /// `table:chain` of every chain in the filter and nat tables.
    static func chains() -> Set<String> {
        var result = Set<String>()
        for table in ["filter", "nat"] {
            let out = run(["/usr/sbin/iptables-save", "-t", table])
            for line in out.split(separator: "\n") where line.hasPrefix(":") {
                result.insert(table + ":" + String(line.dropFirst().split(separator: " ")[0]))
            }
        }
        return result
    }

    /// Every rule line of filter and nat (`-A …`), for before/after comparisons.
    static func rules() -> [String] {
        ["filter", "nat"].flatMap { table in
            run(["/usr/sbin/iptables-save", "-t", table]).split(separator: "\n").filter { $0.hasPrefix("-A") }.map { table + " " + $0 }
        }
    }

    /// Names of network interfaces on the host.
    static func links() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? [])
    }

    /// Removes a daemon's bridges (default and any left user bridges) with their isolation rules;
    /// the last daemon also removes shared chains the test run created.
    static func cleanUp(bridges: [String]) {
        for bridge in bridges where !bridge.isEmpty {
            // Every rule of a BERTH-* chain that names the bridge.
            for table in ["filter", "nat"] {
                for line in run(["/usr/sbin/iptables-save", "-t", table]).split(separator: "\n")
                where line.hasPrefix("-A BERTH-") && shellWords(String(line)).contains(bridge) {
                    var words = shellWords(String(line))
                    words[0] = "-D"
                    _ = status(["/usr/sbin/iptables", "-w", "-t", table] + words)
                }
            }
            if access("/sys/class/net/\(bridge)", F_OK) == 0 { _ = run(["/usr/sbin/ip", "link", "delete", bridge]) }
        }
        let last = lock.withLock { liveDaemons -= 1; return liveDaemons <= 0 }
        guard last else { return }
        let created = chains().subtracting(chainsBefore)
        let shared = ["filter:BERTH-FORWARD", "filter:BERTH-ISOLATION-STAGE-1", "filter:BERTH-ISOLATION-STAGE-2", "nat:BERTH-POSTROUTING", "nat:BERTH-HOSTPORT-SETMARK",
                      "nat:CNI-HOSTPORT-DNAT", "nat:CNI-HOSTPORT-MASQ", "nat:CNI-HOSTPORT-SETMARK"]
        for name in shared where created.contains(name) {
            let parts = name.split(separator: ":").map(String.init)
            let (table, chain) = (parts[0], parts[1])
            // Jumps to it from any chain, then the chain itself.
            for line in run(["/usr/sbin/iptables-save", "-t", table]).split(separator: "\n") where line.hasPrefix("-A") && line.hasSuffix("-j \(chain)") {
                var words = shellWords(String(line))
                words[0] = "-D"
                _ = status(["/usr/sbin/iptables", "-w", "-t", table] + words)
            }
        }
        for name in shared where created.contains(name) {
            let parts = name.split(separator: ":").map(String.init)
            _ = status(["/usr/sbin/iptables", "-w", "-t", parts[0], "-F", parts[1]])
        }
        for name in shared where created.contains(name) {
            let parts = name.split(separator: ":").map(String.init)
            _ = status(["/usr/sbin/iptables", "-w", "-t", parts[0], "-X", parts[1]])
        }
    }

    /// Splits an iptables-save rule into words, keeping quoted comments whole.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" && quoted { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if ch == " " && !quoted { if !current.isEmpty { words.append(current); current = "" }; continue }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func run(_ argv: [String]) -> String {
        let result = runCommand(argv, environment: ProcessInfo.processInfo.environment, timeout: 20)
        return result.stdout
    }

    static func status(_ argv: [String]) -> Int32 {
        runCommand(argv, environment: ProcessInfo.processInfo.environment, timeout: 20).status
    }
}
