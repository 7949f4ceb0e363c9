import Testing
@testable import Cgroups

/// The v2 arithmetic: shares → weight, memory+swap → swap, blkio → io weight, cpu.max.
@Suite struct CgroupConversionTests {
    @Test func sharesToWeightMatchesTheKnownPoints() {
        #expect(CgroupConversion.cpuWeight(fromShares: 0) == 0)
        #expect(CgroupConversion.cpuWeight(fromShares: 1) == 1)
        #expect(CgroupConversion.cpuWeight(fromShares: 2) == 1)
        #expect(CgroupConversion.cpuWeight(fromShares: 1024) == 100)
        #expect(CgroupConversion.cpuWeight(fromShares: 262_144) == 10_000)
        #expect(CgroupConversion.cpuWeight(fromShares: 1_000_000) == 10_000)
    }

    @Test func sharesToWeightIsMonotonicAndInRange() {
        var previous: UInt64 = 1
        for shares in stride(from: UInt64(2), through: 262_144, by: 97) {
            let weight = CgroupConversion.cpuWeight(fromShares: shares)
            #expect(weight >= previous && weight <= 10_000, "shares \(shares) → \(weight)")
            previous = weight
        }
    }

    @Test func swapIsMemoryPlusSwapMinusMemory() throws {
        #expect(try CgroupConversion.swapMax(swap: 300, limit: 100) == 200)
        #expect(try CgroupConversion.swapMax(swap: 100, limit: 100) == 0)
        #expect(try CgroupConversion.swapMax(swap: -1, limit: 100) == -1)
        #expect(try CgroupConversion.swapMax(swap: nil, limit: 100) == nil)
        #expect(try CgroupConversion.swapMax(swap: 0, limit: 100) == nil)
        // Unlimited memory with no swap setting means unlimited swap, as on v1.
        #expect(try CgroupConversion.swapMax(swap: nil, limit: -1) == -1)
        #expect(try CgroupConversion.swapMax(swap: nil, limit: nil) == nil)
    }

    @Test func swapWithoutOrBelowMemoryIsRejected() {
        #expect(throws: CgroupError.self) { try CgroupConversion.swapMax(swap: 100, limit: nil) }
        #expect(throws: CgroupError.self) { try CgroupConversion.swapMax(swap: 100, limit: -1) }
        #expect(throws: CgroupError.self) { try CgroupConversion.swapMax(swap: 50, limit: 100) }
        do {
            _ = try CgroupConversion.swapMax(swap: 50, limit: 100)
        } catch {
            #expect(error.description.contains("memory.swap = 50"))
        }
    }

    @Test func blkioWeightMapsOntoIoWeight() {
        #expect(CgroupConversion.ioWeight(fromBlkioWeight: 0) == 0)
        #expect(CgroupConversion.ioWeight(fromBlkioWeight: 10) == 1)
        #expect(CgroupConversion.ioWeight(fromBlkioWeight: 1000) == 10_000)
        #expect(CgroupConversion.ioWeight(fromBlkioWeight: 500) == 1 + 490 * 9_999 / 990)
    }

    @Test func cpuMaxLine() {
        #expect(Cgroup.cpuMax(quota: nil, period: nil) == nil)
        #expect(Cgroup.cpuMax(quota: 50_000, period: 100_000) == "50000 100000")
        #expect(Cgroup.cpuMax(quota: -1, period: 100_000) == "max 100000")
        #expect(Cgroup.cpuMax(quota: 20_000, period: nil) == "20000")
        #expect(Cgroup.cpuMax(quota: nil, period: 250_000) == "max 250000")
    }
}
