import Testing
@testable import Client

/// go-units' sizes and durations.
@Suite struct HumanUnitsTests {
    @Test func decimalSizesWithThreeDigits() {
        #expect(HumanUnits.size(1982424, precision: 3) == "1.98MB")
        #expect(HumanUnits.size(0, precision: 3) == "0B")
        #expect(HumanUnits.size(22, precision: 3) == "22B")
        #expect(HumanUnits.size(4_260_000, precision: 3) == "4.26MB")
        #expect(HumanUnits.size(1982424) == "1.982MB")
    }

    @Test func binarySizes() {
        #expect(HumanUnits.binarySize(651264) == "636KiB")
        #expect(HumanUnits.binarySize(25275420672) == "23.54GiB")
    }

    @Test func durationsLikeDocker() {
        #expect(HumanUnits.duration(0.5) == "Less than a second")
        #expect(HumanUnits.duration(1) == "1 second")
        #expect(HumanUnits.duration(45) == "45 seconds")
        #expect(HumanUnits.duration(61) == "About a minute")
        #expect(HumanUnits.duration(600) == "10 minutes")
        #expect(HumanUnits.duration(3600) == "About an hour")
        #expect(HumanUnits.duration(5 * 3600) == "5 hours")
        #expect(HumanUnits.duration(3 * 86400) == "3 days")
        #expect(HumanUnits.duration(21 * 86400) == "3 weeks")
        #expect(HumanUnits.duration(90 * 86400) == "3 months")
        #expect(HumanUnits.duration(800 * 86400) == "2 years")
    }

    @Test func ramInBytesIsBinary() throws {
        #expect(try HumanUnits.ramInBytes("512m") == 536_870_912)
        #expect(try HumanUnits.ramInBytes("1g") == 1_073_741_824)
        #expect(try HumanUnits.ramInBytes("1.5k") == 1536)
        #expect(try HumanUnits.ramInBytes("64MiB") == 67_108_864)
        #expect(try HumanUnits.ramInBytes("1024") == 1024)
        #expect(throws: (any Error).self) { try HumanUnits.ramInBytes("abc") }
        #expect(throws: (any Error).self) { try HumanUnits.ramInBytes("12x") }
    }
}
