import Foundation
import Testing
@testable import Networking

@Suite struct AddressTests {
    @Test func parsesAndPrintsAddresses() {
        #expect(IPv4Address("10.88.0.1")?.description == "10.88.0.1")
        #expect(IPv4Address("10.88.0") == nil)
        #expect(IPv4Address("10.88.0.256") == nil)
        #expect(IPv4Address("10.88.0.-1") == nil)
        #expect(IPv4Address("a.b.c.d") == nil)
    }

    @Test func subnetsClearHostBitsUnlessStrict() {
        #expect(IPv4Subnet("10.1.2.3/16")?.description == "10.1.0.0/16")
        #expect(IPv4Subnet("10.1.2.3/16", strict: true) == nil)
        #expect(IPv4Subnet("10.1.0.0/33") == nil)
        let s = IPv4Subnet("172.18.0.0/16")!
        #expect(s.firstHost.description == "172.18.0.1")
        #expect(s.broadcast.description == "172.18.255.255")
        #expect(s.contains(IPv4Address("172.18.200.3")!))
        #expect(!s.contains(IPv4Address("172.19.0.1")!))
    }

    @Test func overlapIsSymmetric() {
        let big = IPv4Subnet("10.0.0.0/8")!, small = IPv4Subnet("10.20.0.0/24")!, other = IPv4Subnet("192.168.0.0/20")!
        #expect(big.overlaps(small) && small.overlaps(big))
        #expect(!big.overlaps(other) && !other.overlaps(small))
    }

    @Test func poolSkipsTakenAndRoutedSubnets() {
        let taken = [IPv4Subnet("172.17.0.0/16")!, IPv4Subnet("172.16.0.0/12")!.overlaps(IPv4Subnet("172.18.0.0/16")!) ? IPv4Subnet("172.18.0.0/16")! : IPv4Subnet("172.18.0.0/16")!]
        #expect(SubnetPool.firstFree(avoiding: taken)?.description == "172.19.0.0/16")
        #expect(SubnetPool.firstFree(avoiding: [IPv4Subnet("172.16.0.0/12")!])?.description == "192.168.0.0/20")
        #expect(SubnetPool.firstFree(avoiding: [IPv4Subnet("0.0.0.0/1")!, IPv4Subnet("128.0.0.0/1")!]) == nil)
    }

    @Test func readsTheRouteTable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("route-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            """.write(to: file, atomically: true, encoding: .utf8)
        let routes = HostRoutes.destinations(table: file.path).map(\.description)
        #expect(routes == ["192.0.2.0/24", "172.17.0.0/16"], "the default route is not a destination network")
    }
}
