import OCI
import Testing
@testable import Engine

@Suite struct SpecSeccompTests {
    /// Whether the filter lets `name` through with the given first argument (rules in order, first match wins).
    func allows(_ filter: LinuxSeccomp, _ name: String, arg0: UInt64 = 0) -> Bool {
        for rule in filter.syscalls ?? [] where rule.names.contains(name) {
            let matches = (rule.args ?? []).allSatisfy { arg in
                guard arg.index == 0 else { return false }
                switch arg.op {
                case "SCMP_CMP_EQ": return arg0 == arg.value
                case "SCMP_CMP_NE": return arg0 != arg.value
                case "SCMP_CMP_MASKED_EQ": return arg0 & arg.value == (arg.valueTwo ?? 0)
                default: return false
                }
            }
            if matches { return rule.action == "SCMP_ACT_ALLOW" }
        }
        return filter.defaultAction == "SCMP_ACT_ALLOW"
    }

    let amd64 = SeccompArch(scmpName: "SCMP_ARCH_X86_64", goName: "amd64")

    @Test func defaultBlocksMountAndKeyctlButAllowsRead() {
        let filter = DefaultSeccompProfile.linuxSeccomp(capabilities: DockerDefaults.capabilities, architecture: amd64)
        #expect(filter.defaultAction == "SCMP_ACT_ERRNO")
        #expect(filter.defaultErrnoRet == 1)
        #expect(filter.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
        #expect(allows(filter, "read"))
        #expect(allows(filter, "execve"))
        #expect(allows(filter, "arch_prctl"))
        #expect(allows(filter, "chroot"))  // CAP_SYS_CHROOT is a default capability
        #expect(!allows(filter, "mount"))
        #expect(!allows(filter, "keyctl"))
        #expect(!allows(filter, "unshare"))
        #expect(!allows(filter, "reboot"))
        #expect(!allows(filter, "init_module"))
        #expect(!allows(filter, "socket", arg0: 40))
        #expect(allows(filter, "socket", arg0: 2))
        #expect(allows(filter, "personality", arg0: 0x8))
        #expect(!allows(filter, "personality", arg0: 0x0040_0000))
        // clone: threads and forks yes, new namespaces no; clone3 falls back with ENOSYS.
        #expect(allows(filter, "clone", arg0: 0x003d_0f00))
        #expect(!allows(filter, "clone", arg0: 0x1000_0000))
        let clone3 = filter.syscalls?.first { $0.names.contains("clone3") }
        #expect(clone3?.action == "SCMP_ACT_ERRNO" && clone3?.errnoRet == 38)
    }

    @Test func capabilitiesUnlockTheirSyscalls() {
        let admin = DefaultSeccompProfile.linuxSeccomp(capabilities: DockerDefaults.capabilities + ["CAP_SYS_ADMIN"], architecture: amd64)
        #expect(allows(admin, "mount"))
        #expect(allows(admin, "unshare"))
        #expect(allows(admin, "clone", arg0: 0x1000_0000))
        #expect(admin.syscalls?.contains { $0.names == ["clone3"] && $0.action == "SCMP_ACT_ERRNO" } == false)
        let time = DefaultSeccompProfile.linuxSeccomp(capabilities: ["CAP_SYS_TIME"], architecture: amd64)
        #expect(allows(time, "settimeofday"))
        #expect(!allows(time, "mount"))
        #expect(allows(DefaultSeccompProfile.linuxSeccomp(capabilities: ["CAP_SYS_MODULE"]), "init_module"))
        #expect(allows(DefaultSeccompProfile.linuxSeccomp(capabilities: ["CAP_SYS_BOOT"]), "reboot"))
    }

    @Test func builderUsesTheContainersCapabilities() throws {
        let spec = try ContainerSpecBuilder.build(specInput { $0.hostConfig.capAdd = ["SYS_ADMIN"] })
        let filter = try #require(spec.linux?.seccomp)
        #expect(allows(filter, "mount"))
    }

    @Test func customProfileParsesIncludesExcludesAndArchMap() throws {
        let json = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 1,
              "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
              "syscalls": [
                {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["s390_only"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}},
                {"names": ["not_for_admins"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
              ]
            }
            """
        let filter = try SeccompProfile.parse(json).linuxSeccomp(capabilities: ["CAP_SYS_ADMIN"], architecture: amd64)
        #expect(filter.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
        #expect(filter.syscalls?.map(\.names) == [["read", "write"], ["mkdir"], ["mount"], ["personality"]])
        #expect(filter.syscalls?[1].errnoRet == 13)
        #expect(filter.syscalls?[3].args == [LinuxSeccompArg(index: 0, value: 8, op: "SCMP_CMP_EQ")])

        let spec = try ContainerSpecBuilder.build(specInput { $0.hostConfig.securityOpt = ["seccomp=" + json] })
        #expect(spec.linux?.seccomp?.syscalls?.map(\.names).contains(["mount"]) == false)
    }

    @Test func badProfilesAreRefused() {
        for bad in [
            "not json",
            #"{"syscalls": []}"#,
            #"{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}"#,
            #"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ALLOW"}]}"#,
            #"{"defaultAction": "SCMP_ACT_NOPE"}"#,
            #"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": 3}]}"#,
        ] {
            #expect(throws: SpecBuildError.self) { try SeccompProfile.parse(bad) }
        }
        #expect(throws: SpecBuildError.self) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.securityOpt = ["seccomp={}"] })
        }
    }
}
