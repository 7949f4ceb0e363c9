import CRuntime
import Glibc

/// One eBPF instruction (the kernel's `struct bpf_insn`).
public struct BPFInstruction: Sendable, Equatable, CustomStringConvertible {
    /// Opcode: class | operation | source.
    public var code: UInt8
    /// Destination register (0...10).
    public var dst: UInt8
    /// Source register (0...10).
    public var src: UInt8
    /// Jump offset or memory offset.
    public var offset: Int16
    /// Immediate operand.
    public var immediate: Int32

    /// An instruction from its fields.
    public init(code: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.code = code
        self.dst = dst
        self.src = src
        self.offset = offset
        self.immediate = immediate
    }

    // Opcodes used by the device filter.
    /// r[dst] = *(u32 *)(r[src] + off)
    static func loadWord(_ dst: UInt8, from src: UInt8, offset: Int16) -> Self { .init(code: 0x61, dst: dst, src: src, offset: offset) }
    /// w[dst] &= imm
    static func and32(_ dst: UInt8, _ imm: Int32) -> Self { .init(code: 0x54, dst: dst, immediate: imm) }
    /// w[dst] >>= imm
    static func rsh32(_ dst: UInt8, _ imm: Int32) -> Self { .init(code: 0x74, dst: dst, immediate: imm) }
    /// w[dst] = w[src]
    static func mov32(_ dst: UInt8, register src: UInt8) -> Self { .init(code: 0xbc, dst: dst, src: src) }
    /// w[dst] = imm
    static func mov32(_ dst: UInt8, _ imm: Int32) -> Self { .init(code: 0xb4, dst: dst, immediate: imm) }
    /// if r[dst] != imm goto +off
    static func jumpIfNotEqual(_ dst: UInt8, _ imm: Int32, _ off: Int16) -> Self { .init(code: 0x55, dst: dst, offset: off, immediate: imm) }
    /// if r[dst] != r[src] goto +off
    static func jumpIfNotEqual(_ dst: UInt8, register src: UInt8, _ off: Int16) -> Self { .init(code: 0x5d, dst: dst, src: src, offset: off) }
    /// if r[dst] == imm goto +off
    static func jumpIfEqual(_ dst: UInt8, _ imm: Int32, _ off: Int16) -> Self { .init(code: 0x15, dst: dst, offset: off, immediate: imm) }
    /// return r0
    static let exit = BPFInstruction(code: 0x95)

    /// The fields, for test failure messages.
    public var description: String {
        "{code: 0x\(String(code, radix: 16)), dst: r\(dst), src: r\(src), off: \(offset), imm: \(immediate)}"
    }
}

/// A BPF_PROG_TYPE_CGROUP_DEVICE program built from OCI device rules: the v2
/// replacement for devices.allow / devices.deny.
///
/// Semantics follow v1: a new cgroup starts with everything allowed, rules
/// apply in order and the last one that matches a request decides. So the
/// program tests the rules from last to first and returns the first match; a
/// rule matching everything ("a *:* rwm") ends the search, and what no rule
/// matches gets the default.
///
/// Layout: r1 is `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`.
/// The prologue loads r2 = device type (access_type & 0xffff), r3 = access
/// (access_type >> 16), r4 = major, r5 = minor. Each rule is a block of
/// "jump to next block unless it matches" tests ending in `r0 = allow; exit`.
public struct DeviceFilterProgram: Sendable, Equatable {
    /// The rules as given.
    public let rules: [DeviceRule]
    /// What a request no rule matches gets.
    public let defaultAllow: Bool
    /// The program.
    public let instructions: [BPFInstruction]

    /// Builds the program for `rules`, in OCI order.
    public init(rules: [DeviceRule]) {
        self.rules = rules
        var defaultAllow = true
        var effective: [DeviceRule] = []
        for rule in rules {
            if rule.matchesEverything {
                effective.removeAll()
                defaultAllow = rule.allow
            } else {
                effective.append(rule)
            }
        }
        self.defaultAllow = defaultAllow

        var program: [BPFInstruction] = [
            .loadWord(2, from: 1, offset: 0), .and32(2, 0xffff),
            .loadWord(3, from: 1, offset: 0), .rsh32(3, 16),
            .loadWord(4, from: 1, offset: 4),
            .loadWord(5, from: 1, offset: 8),
        ]
        for rule in effective.reversed() {
            program += Self.block(for: rule)
        }
        program += [.mov32(0, defaultAllow ? 1 : 0), .exit]
        self.instructions = program
    }

    /// The decision the program makes, computed from the rules directly (the reference
    /// the generated code is tested against).
    public func allows(kind: DeviceRule.Kind, major: Int64, minor: Int64, access: DeviceRule.Access) -> Bool {
        var decision = true
        for rule in rules {
            if rule.matchesEverything {
                decision = rule.allow
            } else if rule.matches(kind: kind, major: major, minor: minor, access: access) {
                decision = rule.allow
            }
        }
        return decision
    }

    /// One rule's instructions. Jump offsets are filled in once the block's length is known.
    static func block(for rule: DeviceRule) -> [BPFInstruction] {
        // Tests as (instruction builder taking the offset to the block's end).
        var tests: [[BPFInstruction]] = []
        if rule.kind != .all {
            tests.append([.jumpIfNotEqual(2, rule.kind.bpfType, 0)])
        }
        if rule.access != .all {
            let masked: [BPFInstruction] = [.mov32(1, register: 3), .and32(1, rule.access.rawValue)]
            if rule.allow {
                // Every requested bit must be in the rule: (access & rule) == access.
                tests.append(masked + [.jumpIfNotEqual(1, register: 3, 0)])
            } else {
                // Any requested bit in the rule denies: (access & rule) != 0.
                tests.append(masked + [.jumpIfEqual(1, 0, 0)])
            }
        }
        if let major = rule.major {
            tests.append([.jumpIfNotEqual(4, Int32(major), 0)])
        }
        if let minor = rule.minor {
            tests.append([.jumpIfNotEqual(5, Int32(minor), 0)])
        }
        var block = tests.flatMap { $0 }
        block += [.mov32(0, rule.allow ? 1 : 0), .exit]
        // Every conditional jump goes to the instruction after this block's exit.
        for index in block.indices where block[index].code & 0x07 == 0x05 && block[index].code != 0x95 {
            block[index].offset = Int16(block.count - index - 1)
        }
        return block
    }

    /// Loads the program and attaches it to the cgroup v2 directory with
    /// BPF_F_ALLOW_MULTI, then detaches device programs attached there before
    /// (an update replaces, it does not stack). Programs of parent cgroups stay
    /// in force: with ALLOW_MULTI every program on the path must allow.
    public func attach(toCgroup directory: String) throws(CgroupError) {
        let cgroupFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if cgroupFD < 0 {
            throw .bpf(operation: "opening the cgroup directory", path: directory, errno: errno, log: "")
        }
        defer { close(cgroupFD) }

        let old = try Self.attachedProgramIDs(cgroupFD: cgroupFD, path: directory)

        let progFD = try load(directory: directory)
        defer { close(progFD) }
        let attached = berth_bpf_device_prog_attach(cgroupFD, progFD, 2 /* BPF_F_ALLOW_MULTI */)
        if attached < 0 {
            throw .bpf(operation: "BPF_PROG_ATTACH", path: directory, errno: -attached, log: "")
        }
        for id in old {
            let detached = berth_bpf_device_prog_detach(cgroupFD, id)
            if detached < 0 && detached != -ENOENT {
                throw .bpf(operation: "BPF_PROG_DETACH of program \(id)", path: directory, errno: -detached, log: "")
            }
        }
    }

    /// The ids of the device programs attached directly to a cgroup v2 directory.
    public static func attachedProgramIDs(cgroup directory: String) throws(CgroupError) -> [UInt32] {
        let cgroupFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if cgroupFD < 0 {
            throw .bpf(operation: "opening the cgroup directory", path: directory, errno: errno, log: "")
        }
        defer { close(cgroupFD) }
        return try attachedProgramIDs(cgroupFD: cgroupFD, path: directory)
    }

    static func attachedProgramIDs(cgroupFD: Int32, path: String) throws(CgroupError) -> [UInt32] {
        var ids = [UInt32](repeating: 0, count: 64)
        while true {
            var count = UInt32(ids.count)
            let queried = berth_bpf_device_prog_query(cgroupFD, &ids, &count)
            if queried == -ENOSPC && Int(count) > ids.count {
                ids = [UInt32](repeating: 0, count: Int(count))
                continue
            }
            if queried < 0 {
                throw .bpf(operation: "BPF_PROG_QUERY", path: path, errno: -queried, log: "")
            }
            return Array(ids.prefix(Int(count)))
        }
    }

    /// Loads the program into the kernel; returns its file descriptor (close it).
    public func load(directory: String = "-") throws(CgroupError) -> Int32 {
        let raw = instructions.map {
            berth_bpf_insn(code: $0.code, regs: ($0.dst & 0x0f) | ($0.src << 4), off: $0.offset, imm: $0.immediate)
        }
        var log = [CChar](repeating: 0, count: 16 * 1024)
        let fd = raw.withUnsafeBufferPointer { insns in
            log.withUnsafeMutableBufferPointer { logBuffer in
                berth_bpf_device_prog_load(insns.baseAddress, UInt32(insns.count), "Apache-2.0",
                                           logBuffer.baseAddress, UInt32(logBuffer.count))
            }
        }
        if fd < 0 {
            let text = log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw .bpf(operation: "BPF_PROG_LOAD", path: directory, errno: -fd, log: text)
        }
        return fd
    }
}
