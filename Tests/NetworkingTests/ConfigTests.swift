import Foundation
import Testing
@testable import Networking

@Suite struct ConfigTests {
    let network = NetworkDefinition(id: String(repeating: "ab", count: 32), name: "appnet", bridge: "berth-ababababa",
                                    subnet: "10.40.0.0/24", gateway: "10.40.0.1", created: "2026-11-26T00:00:00Z")

    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func bridgeNetworkChainsBridgeAndPortmap() throws {
        let list = try CNIConfList.bridgeNetwork(network, ipamDataDirectory: "/var/lib/x/ipam")
        #expect(list.pluginTypes == ["bridge", "portmap"])
        let bridge = try object(list.plugins[0])
        #expect(bridge["bridge"] as? String == "berth-ababababa")
        #expect(bridge["ipMasq"] as? Bool == false, "NAT is a per-network rule")
        let ipam = try #require(bridge["ipam"] as? [String: Any])
        #expect(ipam["type"] as? String == "host-local" && ipam["dataDir"] as? String == "/var/lib/x/ipam")
        var internalNet = network
        internalNet.isInternal = true
        let closed = try object(try CNIConfList.bridgeNetwork(internalNet, ipamDataDirectory: "/d").plugins[0])
        #expect((closed["ipam"] as? [String: Any])?["routes"] == nil, "no default route out of an internal network")
    }

    @Test func pluginInputAddsNameVersionPrevResultAndOnlyDeclaredCapabilities() throws {
        let list = try CNIConfList.bridgeNetwork(network, ipamDataDirectory: "/d")
        let prev = Data(#"{"cniVersion":"1.0.0","ips":[{"address":"10.40.0.2/24"}]}"#.utf8)
        let mappings: [[String: Any]] = [["hostPort": 8080, "containerPort": 80, "protocol": "tcp"]]
        let portmap = try object(try list.pluginInput(1, prevResult: prev, runtimeConfig: ["portMappings": mappings, "ips": ["10.40.0.9"]]))
        #expect(portmap["name"] as? String == "appnet" && portmap["cniVersion"] as? String == "1.0.0")
        #expect(((portmap["prevResult"] as? [String: Any])?["ips"] as? [Any])?.count == 1)
        let runtime = try #require(portmap["runtimeConfig"] as? [String: Any])
        #expect(runtime["portMappings"] != nil && runtime["ips"] == nil, "portmap declares portMappings only")
        let bridge = try object(try list.pluginInput(0, prevResult: nil, runtimeConfig: ["portMappings": mappings]))
        #expect(bridge["runtimeConfig"] == nil && bridge["prevResult"] == nil, "bridge declares ips only")
    }

    @Test func conflistFileRoundTrips() throws {
        let list = try CNIConfList.bridgeNetwork(network, ipamDataDirectory: "/d")
        let again = try CNIConfList(fileData: try list.fileData())
        #expect(again.name == "appnet" && again.pluginTypes == list.pluginTypes)
    }

    @Test func portMappingsDecodeWithoutHostIP() throws {
        let decoded = try JSONDecoder().decode(PortMapping.self, from: Data(#"{"hostPort":1,"containerPort":2,"protocol":"udp"}"#.utf8))
        #expect(decoded == PortMapping(hostPort: 1, containerPort: 2, proto: "udp"))
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(!encoded.contains("hostIP"))
    }

    @Test func resultFindsAddressesAndInterfaces() throws {
        let text = #"{"cniVersion":"1.0.0","interfaces":[{"name":"br0","mac":"aa"},{"name":"veth1","mac":"bb"},{"name":"eth0","mac":"cc","sandbox":"/run/ns"}],"ips":[{"interface":2,"address":"10.0.0.5/24","gateway":"10.0.0.1"}]}"#
        let result = try JSONDecoder().decode(CNIResult.self, from: Data(text.utf8))
        #expect(result.ip(on: "eth0")?.address == "10.0.0.5/24")
        #expect(result.containerInterface("eth0")?.mac == "cc")
        #expect(result.hostInterfaces(excluding: "br0") == ["veth1"])
    }
}
