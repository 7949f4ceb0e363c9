import OCI
import Seccomp
import Testing

#if arch(x86_64)
/// Loads compiled filters in a child process and checks what its syscalls saw.
/// x86_64 syscall numbers: getuid 102, getgid 104, geteuid 107, getppid 110, getpid 39,
/// mkdir 83, personality 135, clone3 435.
@Suite(.enabled(if: FilterRunner.python != nil, "needs python3 for the child process"))
struct SeccompFilterBehaviourTests {
    @Test func dockerLikeProfileDeniesWhatItDoesNotList() throws {
        let program = try SeccompCompiler.compile(DockerLikeProfile.config(removing: ["mkdir", "mkdirat"]))
        let outcome = try FilterRunner.run(program, """
            target = os.path.join(sys.argv[3], "denied").encode()
            print("getpid", call(39))
            print("mkdir", call(83, target, 0o755))
            print("exists", int(os.path.exists(target)))
            print("personality-query", call(135, 0xffffffff))
            print("personality-other", call(135, 0x4))
            print("clone3", call(435, 0, 0))
            """)
        #expect(outcome.status == 0)
        #expect(outcome.output == """
            getpid 0
            mkdir 1
            exists 0
            personality-query 0
            personality-other 1
            clone3 38

            """)
    }

    @Test func argumentComparisonsCombineLikeRunc() throws {
        let program = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
            // Different arguments: all must hold (AND).
            LinuxSyscall(names: ["getppid"], action: "SCMP_ACT_ERRNO", errnoRet: 11, args: [
                LinuxSeccompArg(index: 0, value: 5, op: "SCMP_CMP_EQ"),
                LinuxSeccompArg(index: 1, value: 7, op: "SCMP_CMP_EQ"),
            ]),
            // The same argument twice: either may hold (OR).
            LinuxSyscall(names: ["getuid"], action: "SCMP_ACT_ERRNO", errnoRet: 12, args: [
                LinuxSeccompArg(index: 0, value: 1, op: "SCMP_CMP_EQ"),
                LinuxSeccompArg(index: 0, value: 2, op: "SCMP_CMP_EQ"),
            ]),
            // value is the mask, valueTwo the expected masked value.
            LinuxSyscall(names: ["geteuid"], action: "SCMP_ACT_ERRNO", errnoRet: 13, args: [
                LinuxSeccompArg(index: 0, value: 0xF0, valueTwo: 0x30, op: "SCMP_CMP_MASKED_EQ"),
            ]),
            // 64-bit comparison.
            LinuxSyscall(names: ["getgid"], action: "SCMP_ACT_ERRNO", errnoRet: 14, args: [
                LinuxSeccompArg(index: 2, value: 0x1_0000_0000, op: "SCMP_CMP_GT"),
            ]),
        ]))
        let outcome = try FilterRunner.run(program, """
            print(call(110, 5, 7), call(110, 5, 8), call(110, 4, 7))
            print(call(102, 1), call(102, 2), call(102, 3))
            print(call(107, 0x3F), call(107, 0x4F), call(107, 0x130))
            print(call(104, 0, 0, 0x1_0000_0001), call(104, 0, 0, 0x1_0000_0000), call(104, 0, 0, 0xFFFF_FFFF))
            """)
        #expect(outcome.status == 0)
        #expect(outcome.output == """
            11 0 0
            12 12 0
            13 0 13
            14 0 0

            """)
    }

    @Test func killProcessEndsTheChildWithSIGSYS() throws {
        let program = try SeccompCompiler.compile(LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
            LinuxSyscall(names: ["getppid"], action: "SCMP_ACT_KILL_PROCESS", args: [
                LinuxSeccompArg(index: 0, value: 99, op: "SCMP_CMP_EQ"),
            ]),
        ]))
        let outcome = try FilterRunner.run(program, """
            print("before", call(110, 1), flush=True)
            call(110, 99)
            print("after")
            """)
        #expect(outcome.killedBySignal)
        #expect(outcome.status == 31)  // SIGSYS
        #expect(outcome.output == "before 0\n")
    }

    @Test func kernelAcceptsTheReturnedFlags() throws {
        let program = try SeccompCompiler.compile(DockerLikeProfile.config(
            removing: ["mkdir"],
            flags: ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]))
        #expect(program.flags == 7)
        let outcome = try FilterRunner.run(program, """
            print(call(39), call(83, os.path.join(sys.argv[3], "x").encode(), 0o755))
            """)
        #expect(outcome.status == 0)
        #expect(outcome.output == "0 1\n")
    }
}
#endif
