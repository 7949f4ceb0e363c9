import OCI
import Testing
@testable import Cgroups

/// A tiny interpreter for the instructions the generator emits, so the program
/// can be checked against the rules without loading it.
struct BPFInterpreter {
    enum Failure: Error { case unknownOpcode(UInt8), fellOff, backwardJump }

    static func run(_ program: [BPFInstruction], type: Int32, access: Int32, major: UInt32, minor: UInt32) throws -> UInt64 {
        var r = [UInt64](repeating: 0, count: 11)
        let ctx: [UInt32] = [UInt32(bitPattern: access << 16 | type), major, minor]
        var pc = 0
        while pc < program.count {
            let i = program[pc]
            let d = Int(i.dst), s = Int(i.src)
            let imm32 = UInt32(bitPattern: i.immediate)
            let imm64 = UInt64(bitPattern: Int64(i.immediate))
            pc += 1
            switch i.code {
            case 0x61:
                #expect(s == 1 && i.offset % 4 == 0 && i.offset <= 8)
                r[d] = UInt64(ctx[Int(i.offset) / 4])
            case 0x54: r[d] = UInt64(UInt32(truncatingIfNeeded: r[d]) & imm32)
            case 0x74: r[d] = UInt64(UInt32(truncatingIfNeeded: r[d]) >> imm32)
            case 0xbc: r[d] = UInt64(UInt32(truncatingIfNeeded: r[s]))
            case 0xb4: r[d] = UInt64(imm32)
            case 0x55, 0x5d, 0x15:
                guard i.offset >= 0 else { throw Failure.backwardJump }
                let other = i.code == 0x5d ? r[s] : imm64
                let taken = i.code == 0x15 ? r[d] == other : r[d] != other
                if taken { pc += Int(i.offset) }
            case 0x95: return r[0]
            default: throw Failure.unknownOpcode(i.code)
            }
        }
        throw Failure.fellOff
    }
}

@Suite struct DeviceFilterProgramTests {
    static func decide(_ p: DeviceFilterProgram, _ kind: DeviceRule.Kind, _ major: UInt32, _ minor: UInt32,
                       _ access: DeviceRule.Access) throws -> Bool {
        try BPFInterpreter.run(p.instructions, type: kind.bpfType, access: access.rawValue, major: major, minor: minor) == 1
    }

    @Test func prologueAndInstructionLayout() {
        let p = DeviceFilterProgram(rules: [])
        #expect(p.instructions.count == 8)
        #expect(p.instructions[0] == BPFInstruction(code: 0x61, dst: 2, src: 1, offset: 0))
        #expect(p.instructions[1] == BPFInstruction(code: 0x54, dst: 2, immediate: 0xffff))
        #expect(p.instructions[3] == BPFInstruction(code: 0x74, dst: 3, immediate: 16))
        #expect(p.instructions[4] == BPFInstruction(code: 0x61, dst: 4, src: 1, offset: 4))
        #expect(p.instructions[5] == BPFInstruction(code: 0x61, dst: 5, src: 1, offset: 8))
        #expect(p.instructions[6] == BPFInstruction(code: 0xb4, dst: 0, immediate: 1))
        #expect(p.instructions[7] == BPFInstruction(code: 0x95))
    }

    @Test func oneRuleBlock() throws {
        let rule = DeviceRule(allow: true, kind: .char, major: 1, minor: 3, access: [.read, .write])
        let p = DeviceFilterProgram(rules: [DeviceRule(allow: false), rule])
        // prologue (6) + type, 3×access, major, minor, mov, exit (8) + default (2)
        #expect(p.instructions.count == 16)
        #expect(p.instructions[6] == BPFInstruction(code: 0x55, dst: 2, offset: 7, immediate: 2))
        #expect(p.instructions[7] == BPFInstruction(code: 0xbc, dst: 1, src: 3))
        #expect(p.instructions[8] == BPFInstruction(code: 0x54, dst: 1, immediate: 6))
        #expect(p.instructions[9] == BPFInstruction(code: 0x5d, dst: 1, src: 3, offset: 4))
        #expect(p.instructions[10] == BPFInstruction(code: 0x55, dst: 4, offset: 3, immediate: 1))
        #expect(p.instructions[11] == BPFInstruction(code: 0x55, dst: 5, offset: 2, immediate: 3))
        #expect(p.instructions[12] == BPFInstruction(code: 0xb4, dst: 0, immediate: 1))
        #expect(p.instructions[14] == BPFInstruction(code: 0xb4, dst: 0, immediate: 0))
    }

    /// The rules docker puts in every container.
    static let dockerDefault: [LinuxDeviceCgroup] = [
        .init(allow: false, access: "rwm"),
        .init(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),
        .init(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
        .init(allow: true, type: "c", major: 1, minor: 9, access: "rwm"),
        .init(allow: true, type: "c", major: 1, minor: 8, access: "rwm"),
        .init(allow: true, type: "c", major: 5, minor: 0, access: "rwm"),
        .init(allow: true, type: "c", major: 5, minor: 1, access: "rwm"),
        .init(allow: false, type: "c", major: 10, minor: 229, access: "rwm"),
        .init(allow: true, type: "c", major: -1, minor: -1, access: "m"),
        .init(allow: true, type: "b", major: nil, minor: nil, access: "m"),
        .init(allow: true, type: "c", major: 136, minor: nil, access: "rwm"),
    ]

    @Test func dockerDefaultDecisions() throws {
        let rules = try Self.dockerDefault.enumerated().map { try DeviceRule($0.element, index: $0.offset) }
        let p = DeviceFilterProgram(rules: rules)
        #expect(try Self.decide(p, .char, 1, 3, [.read, .write]))
        #expect(try Self.decide(p, .char, 136, 7, [.read, .write]))
        #expect(try Self.decide(p, .block, 8, 0, .mknod))
        #expect(try Self.decide(p, .char, 10, 229, .mknod), "allow c *:* m comes after the deny")
        #expect(!(try Self.decide(p, .char, 10, 229, .read)))
        #expect(!(try Self.decide(p, .block, 8, 0, .read)))
        #expect(!(try Self.decide(p, .char, 1, 1, [.read, .write])))
        #expect(!(try Self.decide(p, .char, 4, 0, .write)))
    }

    @Test func denyRuleDeniesAnyOverlappingAccess() throws {
        let p = DeviceFilterProgram(rules: [DeviceRule(allow: false, kind: .char, major: 1, minor: 3, access: .write)])
        #expect(try Self.decide(p, .char, 1, 3, .read))
        #expect(!(try Self.decide(p, .char, 1, 3, [.read, .write])))
        #expect(try Self.decide(p, .block, 1, 3, .write))
    }

    @Test func generatedCodeAgreesWithTheRulesEverywhere() throws {
        var rng = SystemRandomNumberGenerator()
        let kinds: [DeviceRule.Kind] = [.all, .char, .block]
        let accesses: [DeviceRule.Access] = [.read, .write, .mknod, [.read, .write], [.read, .mknod], .all]
        for _ in 0..<200 {
            var rules: [DeviceRule] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                rules.append(DeviceRule(allow: Bool.random(using: &rng), kind: kinds.randomElement(using: &rng)!,
                                        major: Bool.random(using: &rng) ? Int64.random(in: 1...3, using: &rng) : nil,
                                        minor: Bool.random(using: &rng) ? Int64.random(in: 1...3, using: &rng) : nil,
                                        access: accesses.randomElement(using: &rng)!))
            }
            let p = DeviceFilterProgram(rules: rules)
            for kind in [DeviceRule.Kind.char, .block] {
                for major in 1...3 {
                    for minor in 1...3 {
                        for access in accesses {
                            let bpf = try Self.decide(p, kind, UInt32(major), UInt32(minor), access)
                            let reference = p.allows(kind: kind, major: Int64(major), minor: Int64(minor), access: access)
                            #expect(bpf == reference, "rules \(rules.map(\.v1Line)) request \(kind) \(major):\(minor) \(access.text)")
                        }
                    }
                }
            }
        }
    }

    @Test func ociRuleValidation() throws {
        #expect(try DeviceRule(LinuxDeviceCgroup(allow: true)).v1Line == "a *:* rwm")
        #expect(try DeviceRule(LinuxDeviceCgroup(allow: true, type: "b", major: 8, minor: -1, access: "rm")).v1Line == "b 8:* rm")
        #expect(throws: CgroupError.self) { try DeviceRule(LinuxDeviceCgroup(allow: true, access: "rx")) }
        #expect(throws: CgroupError.self) { try DeviceRule(LinuxDeviceCgroup(allow: true, access: "")) }
        #expect(throws: CgroupError.self) { try DeviceRule(LinuxDeviceCgroup(allow: true, major: -5)) }
    }
}
