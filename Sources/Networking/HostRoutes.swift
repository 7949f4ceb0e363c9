import Foundation

/// The host's IPv4 routes (from /proc/net/route): a new network's subnet must not clash with
/// any of them, or containers could not reach those destinations (docker's rule too).
public enum HostRoutes {
    /// Destination networks of every IPv4 route, except the default route.
    public static func destinations(table: String = "/proc/net/route") -> [IPv4Subnet] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return [] }
        var result: [IPv4Subnet] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count >= 8, let dest = UInt32(fields[1], radix: 16), let mask = UInt32(fields[7], radix: 16),
                  mask != 0 else { continue }
            // The file holds both in host (little-endian) byte order.
            let network = IPv4Address(dest.byteSwapped)
            let prefix = mask.nonzeroBitCount
            result.append(IPv4Subnet(network: network, prefixLength: prefix))
        }
        return result
    }
}

/// Picks subnets for new networks from docker's default pools, skipping any that overlaps
/// a host route or a network that already exists.
public enum SubnetPool {
    /// 172.17–31.0.0/16, then 192.168.0–240.0/20: docker's default address pools.
    public static var candidates: [IPv4Subnet] {
        var list: [IPv4Subnet] = []
        for second in 17...31 { list.append(IPv4Subnet(network: IPv4Address(UInt32(172) << 24 | UInt32(second) << 16), prefixLength: 16)) }
        for third in stride(from: 0, through: 240, by: 16) {
            list.append(IPv4Subnet(network: IPv4Address(UInt32(192) << 24 | UInt32(168) << 16 | UInt32(third) << 8), prefixLength: 20))
        }
        return list
    }

    /// The first candidate that overlaps nothing in `taken` (nil when the pools are exhausted).
    public static func firstFree(avoiding taken: [IPv4Subnet]) -> IPv4Subnet? {
        candidates.first { candidate in !taken.contains { $0.overlaps(candidate) } }
    }
}
