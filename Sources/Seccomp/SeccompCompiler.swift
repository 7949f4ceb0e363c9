import CSeccomp
import OCI

/// Compiles an OCI `linux.seccomp` section into a ``SeccompProgram`` with libseccomp.
///
/// Runs in the parent, before clone(), so the child only has to load the bytes.
/// Follows runc: syscall names this libseccomp does not know are skipped, architectures
/// it does not know are skipped, rules whose action equals the default are skipped, and
/// several comparisons on the same argument make one rule each (OR).
public enum SeccompCompiler {
    /// The kernel refuses longer filters (BPF_MAXINSNS).
    public static let maxInstructions = 4096

    /// Above this many rules, ask libseccomp for a binary-tree filter (as runc does;
    /// libseccomp ≤ 2.5.4 misbehaves with the tree and no rules at all).
    static let binaryTreeThreshold = 32

    /// Compiles `config`; throws ``SeccompError`` naming the offending JSON field.
    public static func compile(_ config: LinuxSeccomp) throws -> SeccompProgram {
        // Validate everything before touching libseccomp.
        let defaultAction = try SeccompAction.value(
            named: config.defaultAction, errnoRet: config.defaultErrnoRet,
            path: "linux.seccomp.defaultAction", errnoPath: "linux.seccomp.defaultErrnoRet")
        let architectures = try (config.architectures ?? []).enumerated().map { index, name in
            (token: try SeccompArchitecture.token(named: name, path: "linux.seccomp.architectures[\(index)]"),
             path: "linux.seccomp.architectures[\(index)]")
        }
        let flags = try (config.flags ?? []).enumerated().map { index, name in
            try SeccompFlag(named: name, path: "linux.seccomp.flags[\(index)]")
        }
        let rules = try (config.syscalls ?? []).enumerated().map { index, syscall in
            try SeccompRule(syscall, index: index)
        }

        let context = try FilterContext(defaultAction: defaultAction)
        // The runtime sets no_new_privs itself, when the process spec asks for it.
        try check(context.set(SCMP_FLTATR_CTL_NNP, 0), path: "linux.seccomp", what: "clearing SCMP_FLTATR_CTL_NNP")
        for architecture in architectures {
            guard let token = architecture.token else { continue }
            try check(context.addArchitecture(token), path: architecture.path, what: "adding the architecture")
        }
        var flagBits: UInt32 = 0
        for flag in flags {
            flagBits |= flag.bit
            if let attribute = flag.attribute {
                try check(context.set(attribute, 1), path: flag.path,
                          what: "\(flag.name) is not supported by this kernel or libseccomp")
            }
        }

        var ruleCount = 0
        for rule in rules where rule.action != defaultAction {
            for (name, path) in rule.names {
                let number = seccomp_syscall_resolve_name(name)
                // Unknown to this libseccomp: a syscall of a newer kernel; skip it like runc.
                if number == __NR_SCMP_ERROR { continue }
                for conditions in rule.conditionSets {
                    try check(context.addRule(action: rule.action, syscall: number, conditions: conditions),
                              path: path, what: "adding a rule for \"\(name)\"")
                    ruleCount += 1
                }
            }
        }
        if ruleCount > binaryTreeThreshold {
            // An optimization only; older libseccomp lacks it, which is fine.
            _ = context.set(SCMP_FLTATR_CTL_OPTIMIZE, 2)
        }

        let filter = try context.exportBPF()
        let program = SeccompProgram(filter: filter, flags: flagBits)
        guard filter.count % SeccompProgram.instructionSize == 0, program.instructionCount > 0 else {
            throw SeccompError(path: "linux.seccomp", reason: "libseccomp exported a malformed filter of \(filter.count) bytes")
        }
        guard program.instructionCount <= maxInstructions else {
            throw SeccompError(
                path: "linux.seccomp",
                reason: "the filter has \(program.instructionCount) instructions; the kernel accepts at most \(maxInstructions)")
        }
        return program
    }

    /// Throws a ``SeccompError`` at `path` when a libseccomp call returned a negative errno.
    private static func check(_ rc: Int32, path: String, what: String) throws {
        guard rc < 0 else { return }
        throw SeccompError(path: path, reason: "\(what): \(errorText(-rc))")
    }
}
