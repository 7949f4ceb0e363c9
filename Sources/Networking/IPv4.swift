/// An IPv4 address as a 32-bit number, for subnet arithmetic (no socket API needed).
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad text (`10.88.0.1`); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
}

/// An IPv4 network in CIDR form (`172.18.0.0/16`).
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public var network: IPv4Address
    public var prefixLength: Int

    public init(network: IPv4Address, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.network = IPv4Address(network.value & Self.mask(prefixLength))
    }

    /// Parses `a.b.c.d/n`. With `strict`, host bits must be zero (docker refuses `10.1.2.3/16`
    /// as a subnet); otherwise they are cleared.
    public init?(_ text: some StringProtocol, strict: Bool = false) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), parts[1].allSatisfy(\.isNumber),
              let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        if strict && address.value & ~Self.mask(prefix) != 0 { return nil }
        self.init(network: address, prefixLength: prefix)
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix)) }

    public var mask: UInt32 { Self.mask(prefixLength) }
    public var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }
    /// The first usable host (docker's default gateway).
    public var firstHost: IPv4Address { IPv4Address(network.value + 1) }

    public func contains(_ address: IPv4Address) -> Bool { address.value & mask == network.value }

    /// True when the two networks share any address.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        let m = Self.mask(shorter)
        return network.value & m == other.network.value & m
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
