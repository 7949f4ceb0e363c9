import CSeccomp
import OCI
import Seccomp
import Testing

@Suite struct SeccompCompilerTests {
    @Test func dockerLikeProfileCompilesToAWholeNumberOfInstructions() throws {
        let program = try SeccompCompiler.compile(DockerLikeProfile.config())
        #expect(program.instructionCount > 0)
        #expect(program.instructionCount <= SeccompCompiler.maxInstructions)
        #expect(program.filter.count == program.instructionCount * SeccompProgram.instructionSize)
        #expect(program.flags == 0)
    }

    @Test func flagsBecomeSeccompSyscallFlags() throws {
        var config = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
            LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO"),
        ])
        config.flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]
        #expect(try SeccompCompiler.compile(config).flags
            == SeccompFilterFlag.tsync | SeccompFilterFlag.log | SeccompFilterFlag.specAllow)

        // Without a listener the kernel rejects WAIT_KILLABLE_RECV, so it adds no bit.
        config.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]
        #expect(try SeccompCompiler.compile(config).flags == 0)
    }

    @Test func unknownSyscallNamesAreSkipped() throws {
        func compile(_ names: [String]) throws -> SeccompProgram {
            try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", syscalls: [
                LinuxSyscall(names: names, action: "SCMP_ACT_ALLOW"),
            ]))
        }
        #expect(try compile(["getpid", "no_such_syscall_in_any_kernel", "read"]) == compile(["getpid", "read"]))
        #expect(try compile(["getpid", "read"]) != compile(["getpid"]))
    }

    @Test func rulesWithTheDefaultActionAreSkipped() throws {
        let plain = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 13))
        let redundant = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 13, syscalls: [
            LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 13),
        ]))
        #expect(plain == redundant)
        // A different errno is a different action.
        let other = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 13, syscalls: [
            LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 1),
        ]))
        #expect(plain != other)
    }

    @Test func everyActionCompiles() throws {
        let actions = ["SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
                       "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG"]
        for defaultAction in actions {
            let rules = actions.enumerated().map { index, action in
                LinuxSyscall(names: [["getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "gettid", "getpgrp"][index]],
                             action: action, errnoRet: action == "SCMP_ACT_TRACE" ? 7 : nil)
            }
            let program = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: defaultAction, syscalls: rules))
            #expect(program.instructionCount > 0)
        }
    }

    @Test func extraArchitecturesAreAddedAndUnsupportedOnesSkipped() throws {
        let native = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", syscalls: [
            LinuxSyscall(names: ["read"], action: "SCMP_ACT_ALLOW"),
        ]))
        var config = LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], syscalls: [
            LinuxSyscall(names: ["read"], action: "SCMP_ACT_ALLOW"),
        ])
        #expect(try SeccompCompiler.compile(config).instructionCount > native.instructionCount)

        // libseccomp 2.5 knows no m68k; a newer one would add it, so only check when it is absent.
        if seccomp_arch_resolve_name("m68k") == 0 {
            config.architectures = ["SCMP_ARCH_M68K"]
            #expect(try SeccompCompiler.compile(config) == native)
        }
    }

    @Test func sockFprogDescribesTheFilter() throws {
        let program = try SeccompCompiler.compile(DockerLikeProfile.config())
        program.withSockFprog { fprog in
            #expect(Int(fprog.pointee.len) == program.instructionCount)
            let bytes = UnsafeRawBufferPointer(start: fprog.pointee.filter, count: program.filter.count)
            #expect(Array(bytes) == program.filter)
        }
    }

    static let badInputs: [(LinuxSeccomp, String)] = {
        let ok = LinuxSyscall(names: ["getpid"], action: "SCMP_ACT_ALLOW")
        func rules(_ last: LinuxSyscall) -> LinuxSeccomp {
            LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", syscalls: [ok, ok, ok, last])
        }
        return [
            (LinuxSeccomp(defaultAction: "SCMP_ACT_FOO"), "linux.seccomp.defaultAction"),
            (LinuxSeccomp(defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/run/agent.sock"), "linux.seccomp.defaultAction"),
            (LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 5000), "linux.seccomp.defaultErrnoRet"),
            (LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]),
             "linux.seccomp.architectures[1]"),
            (LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS"]),
             "linux.seccomp.flags[1]"),
            (rules(LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_NOTIFY")), "linux.seccomp.syscalls[3].action"),
            (rules(LinuxSyscall(names: ["mkdir"], action: "ALLOW")), "linux.seccomp.syscalls[3].action"),
            (rules(LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_TRACE", errnoRet: 70000)), "linux.seccomp.syscalls[3].errnoRet"),
            (rules(LinuxSyscall(names: ["mkdir", ""], action: "SCMP_ACT_KILL")), "linux.seccomp.syscalls[3].names[1]"),
            (rules(LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_KILL", args: [
                LinuxSeccompArg(index: 0, value: 1, op: "SCMP_CMP_XX"),
            ])), "linux.seccomp.syscalls[3].args[0].op"),
            (rules(LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_KILL", args: [
                LinuxSeccompArg(index: 0, value: 1, op: "SCMP_CMP_EQ"),
                LinuxSeccompArg(index: 6, value: 1, op: "SCMP_CMP_EQ"),
            ])), "linux.seccomp.syscalls[3].args[1].index"),
        ]
    }()

    @Test(arguments: badInputs)
    func badInputNamesItsField(config: LinuxSeccomp, path: String) {
        #expect {
            try SeccompCompiler.compile(config)
        } throws: { error in
            (error as? SeccompError)?.path == path
        }
    }

    @Test func errorMessageSaysWhereAndWhat() {
        var config = Self.badInputs[9].0
        config.syscalls?[3].args?[0].op = "SCMP_CMP_XX"
        #expect {
            try SeccompCompiler.compile(config)
        } throws: { error in
            "\(error)" == #"linux.seccomp.syscalls[3].args[0].op: unknown operator "SCMP_CMP_XX""#
        }
    }
}
