import CSeccomp
import OCI

/// One validated `linux.seccomp.syscalls[i]` entry, ready to hand to libseccomp.
struct SeccompRule {
    /// Linux syscalls take at most six arguments.
    static let maxArgumentIndex: UInt32 = 5

    /// Comparison operators of the runtime spec.
    static let operators: [String: scmp_compare] = [
        "SCMP_CMP_NE": SCMP_CMP_NE, "SCMP_CMP_LT": SCMP_CMP_LT, "SCMP_CMP_LE": SCMP_CMP_LE,
        "SCMP_CMP_EQ": SCMP_CMP_EQ, "SCMP_CMP_GE": SCMP_CMP_GE, "SCMP_CMP_GT": SCMP_CMP_GT,
        "SCMP_CMP_MASKED_EQ": SCMP_CMP_MASKED_EQ,
    ]

    /// Syscall names, in order, each with its JSON path.
    var names: [(name: String, path: String)]
    /// libseccomp action value.
    var action: UInt32
    /// Argument comparisons, one libseccomp rule per element: the comparisons inside
    /// one element are ANDed, the elements are ORed.
    var conditionSets: [[scmp_arg_cmp]]

    /// Validates `syscall`, found at `linux.seccomp.syscalls[index]`.
    init(_ syscall: LinuxSyscall, index: Int) throws {
        let path = "linux.seccomp.syscalls[\(index)]"
        action = try SeccompAction.value(
            named: syscall.action, errnoRet: syscall.errnoRet,
            path: "\(path).action", errnoPath: "\(path).errnoRet")
        names = try syscall.names.enumerated().map { position, name in
            let namePath = "\(path).names[\(position)]"
            guard !name.isEmpty else { throw SeccompError(path: namePath, reason: "empty syscall name") }
            return (name, namePath)
        }
        let conditions = try (syscall.args ?? []).enumerated().map { position, arg in
            try Self.condition(arg, path: "\(path).args[\(position)]")
        }
        conditionSets = Self.group(conditions)
    }

    /// One libseccomp comparison. For SCMP_CMP_MASKED_EQ, `value` is the mask and
    /// `valueTwo` the expected masked value (libseccomp's datum_a and datum_b).
    static func condition(_ arg: LinuxSeccompArg, path: String) throws -> scmp_arg_cmp {
        guard arg.index <= maxArgumentIndex else {
            throw SeccompError(path: "\(path).index", reason: "argument index \(arg.index) is out of range (0...\(maxArgumentIndex))")
        }
        guard let op = operators[arg.op] else {
            throw SeccompError(path: "\(path).op", reason: "unknown operator \"\(arg.op)\"")
        }
        let datumB: UInt64 = op == SCMP_CMP_MASKED_EQ ? (arg.valueTwo ?? 0) : 0
        return scmp_arg_cmp(arg: arg.index, op: op, datum_a: arg.value, datum_b: datumB)
    }

    /// runc's rule: when two comparisons test the same argument, each comparison becomes a
    /// rule of its own (OR); otherwise all of them form one rule (AND). No comparison: one
    /// unconditional rule.
    static func group(_ conditions: [scmp_arg_cmp]) -> [[scmp_arg_cmp]] {
        var seen = Set<UInt32>()
        let repeatsAnIndex = conditions.contains { !seen.insert($0.arg).inserted }
        return repeatsAnIndex ? conditions.map { [$0] } : [conditions]
    }
}
