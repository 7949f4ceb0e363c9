// Real CNI plugins (containernetworking-plugins) on a namespace made for the test. Root.
import Foundation
import Glibc
import Testing
@testable import Networking

@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/lib/cni/bridge"),
                             "needs root and containernetworking-plugins"))
struct CNIRuntimeTests {
    /// A scratch directory, a namespace and a bridge network unique to one test.
    struct Scene {
        let dir: String
        let netns: String
        let network: NetworkDefinition
        let runtime: CNIRuntime

        init() throws {
            dir = NSTemporaryDirectory() + "berth-cni-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            netns = dir + "/ns"
            try NetNS.create(at: netns)
            let tag = String(format: "%06x", UInt32.random(in: 0...0xffffff))
            network = NetworkDefinition(id: tag, name: "cnitest-" + tag, bridge: "bcni" + tag, subnet: "10.251.\(Int.random(in: 1...250)).0/24",
                                        gateway: "", created: "")
            runtime = CNIRuntime(cacheDirectory: dir + "/cache")
        }

        var list: CNIConfList {
            var n = network
            n.gateway = IPv4Subnet(n.subnet)!.firstHost.description
            return try! CNIConfList.bridgeNetwork(n, ipamDataDirectory: dir + "/ipam")
        }

        func leases() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/ipam/" + network.name)) ?? []).filter { $0.first?.isNumber == true }
        }

        func tearDown() {
            NetNS.remove(at: netns)
            HostInterface.deleteLink(network.bridge)
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    func rules() -> String {
        ["filter", "nat"].map { runIPTablesSave($0) }.joined()
    }

    func runIPTablesSave(_ table: String) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/iptables-save")
        p.arguments = ["-t", table]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").filter { $0.hasPrefix("-A") }.joined(separator: "\n")
    }

    @Test func addThenDeleteLeavesNoLeaseVethOrRule() throws {
        let scene = try Scene()
        defer { scene.tearDown() }
        #expect(NetNS.isMounted(scene.netns))
        let rulesBefore = rules()
        // No port mappings: portmap 1.1.1's CHECK fails on hosts without ip6tables chains.
        let attachment = CNIAttachment(containerID: "t" + scene.network.id, netns: scene.netns, ifName: "eth0")
        let result = try scene.runtime.add(scene.list, attachment)
        defer { try? scene.runtime.delete(scene.list, attachment) }   // also when an expectation below throws
        #expect(result.ip(on: "eth0")?.address.hasPrefix("10.251.") == true)
        #expect(scene.leases().count == 1)
        let veth = try #require(result.hostInterfaces(excluding: scene.network.bridge).first)
        #expect(HostInterface.exists(veth))
        try scene.runtime.check(scene.list, attachment)
        try scene.runtime.delete(scene.list, attachment)
        #expect(scene.leases().isEmpty)
        #expect(!HostInterface.exists(veth))
        // Only this test's rules are compared: other processes may change iptables meanwhile.
        let mine = { (text: String) in text.split(separator: "\n").filter { $0.contains(attachment.containerID) || $0.contains(scene.network.subnet.dropLast(4)) } }
        #expect(mine(rules()) == mine(rulesBefore), "the per-container rules are gone")
    }

    @Test func aPluginFailingMidAddIsRolledBack() throws {
        let scene = try Scene()
        defer { scene.tearDown() }
        var list = scene.list
        // A chain whose last plugin does not exist: bridge and portmap ran, then ADD fails.
        list.plugins.append(Data(#"{"type":"berth-no-such-plugin"}"#.utf8))
        let attachment = CNIAttachment(containerID: "r" + scene.network.id, netns: scene.netns, ifName: "eth0")
        #expect(throws: CNIFailure.self) { try scene.runtime.add(list, attachment) }
        do { _ = try scene.runtime.add(list, attachment) } catch {
            #expect(error.description.contains("berth-no-such-plugin"), "\(error)")
        }
        #expect(scene.leases().isEmpty, "the address was released by the rollback DEL")
        let links = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        let inside = try String(contentsOfFile: "/proc/net/dev", encoding: .utf8)
        #expect(!inside.isEmpty)
        #expect(links.filter { $0.hasPrefix("veth") }.allSatisfy { link in
            (try? String(contentsOfFile: "/sys/class/net/\(link)/master", encoding: .utf8)) == nil
                || !((try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/class/net/\(link)/master")) ?? "").hasSuffix(scene.network.bridge)
        }, "no veth is left on the test bridge")
    }

    @Test func namespacesArePinnedAndRemoved() throws {
        let path = NSTemporaryDirectory() + "berth-ns-\(UUID().uuidString.prefix(8))"
        try NetNS.create(at: path)
        #expect(NetNS.isMounted(path))
        #expect(throws: NetNS.Failure.self) { try NetNS.create(at: path) }
        NetNS.remove(at: path)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
