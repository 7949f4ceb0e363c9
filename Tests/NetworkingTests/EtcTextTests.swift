import Testing
@testable import Networking

@Suite struct EtcTextTests {
    @Test func resolvConfDropsLoopbackServersAndFallsBack() {
        let host = "# comment\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n"
        let text = EtcText.resolvConf(host: host, dns: [], search: [], options: [], hostNetwork: false)
        #expect(text.contains("nameserver 10.0.0.2\n") && !text.contains("127.0.0.53"))
        #expect(text.contains("search corp.example\n") && text.contains("options edns0\n"))
        let onlyLoopback = EtcText.resolvConf(host: "nameserver 127.0.0.1\n", dns: [], search: [], options: [], hostNetwork: false)
        #expect(onlyLoopback.contains("nameserver 8.8.8.8\nnameserver 8.8.4.4\n"))
        let given = EtcText.resolvConf(host: host, dns: ["1.1.1.1"], search: ["a.b"], options: ["ndots:2"], hostNetwork: false)
        #expect(given.contains("nameserver 1.1.1.1\n") && !given.contains("10.0.0.2") && given.contains("search a.b\n") && given.contains("options ndots:2\n"))
        #expect(EtcText.resolvConf(host: host, dns: [], search: [], options: [], hostNetwork: true) == host)
    }

    @Test func hostsListsOwnAddressesThenPeers() {
        let text = EtcText.hosts(extra: [EtcText.addHostEntry("db:10.9.9.9")!],
                                 own: [.init(address: "172.18.0.2", names: ["web"])],
                                 peers: [.init(address: "172.18.0.4", names: ["zeta"]), .init(address: "172.18.0.3", names: ["api", "alias"])])
        #expect(text.hasPrefix("127.0.0.1\tlocalhost\n"))
        #expect(text.hasSuffix("10.9.9.9\tdb\n172.18.0.2\tweb\n172.18.0.3\tapi alias\n172.18.0.4\tzeta\n"))
        #expect(EtcText.addHostEntry("v6:[::1]")?.address == "::1")
        #expect(EtcText.addHostEntry("bad") == nil)
    }
}
