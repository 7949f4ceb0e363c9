import Testing

@testable import OCI

/// The first problem `validate()` reports after `change` is applied to the default spec.
func validationError(_ change: (inout Spec) -> Void) -> SpecError? {
    var spec = Spec.defaultSpec()
    change(&spec)
    do {
        try spec.validate()
        return nil
    } catch {
        return error
    }
}

@Test func defaultSpecIsValid() throws {
    try Spec.defaultSpec().validate()
    #expect(Spec.defaultSpec().problems().isEmpty)
}

@Test func versionOtherThanOneIsRejected() {
    #expect(validationError { $0.ociVersion = "2.0.0" }?.path == "ociVersion")
    #expect(validationError { $0.ociVersion = "" }?.path == "ociVersion")
    #expect(validationError { $0.ociVersion = "1.0.2-dev" } == nil)
}

@Test func missingOrEmptyArgsAreRejected() {
    #expect(validationError { $0.process?.args = nil }?.description == "process.args: must name the program to run")
    #expect(validationError { $0.process?.args = [] }?.path == "process.args")
    #expect(validationError { $0.process?.args = [""] }?.path == "process.args[0]")
}

@Test func relativeCwdIsRejected() {
    #expect(validationError { $0.process?.cwd = "work" }?.description == #"process.cwd: must be an absolute path, not "work""#)
}

@Test func envWithoutEqualsIsRejected() {
    #expect(validationError { $0.process?.env?.append("FOO") }?.path == "process.env[2]")
}

@Test func duplicateNamespaceTypeIsRejected() {
    let error = validationError { $0.linux?.namespaces?.append(LinuxNamespace(type: .pid, path: "/proc/1/ns/pid")) }
    #expect(error?.description == #"linux.namespaces[6].type: duplicate namespace type "pid" (also at linux.namespaces[0])"#)
}

@Test func relativeNamespacePathIsRejected() {
    #expect(validationError { $0.linux?.namespaces?[1].path = "netns/a" }?.path == "linux.namespaces[1].path")
}

@Test func idMappingsWithoutUserNamespaceAreRejected() {
    let error = validationError { $0.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)] }
    #expect(error?.path == "linux.uidMappings")
    #expect(error?.message.contains("without a user namespace") == true)
}

@Test func newUserNamespaceWithoutMappingsIsRejected() {
    let error = validationError { $0.linux?.namespaces?.append(LinuxNamespace(type: .user)) }
    #expect(error?.description == "linux.uidMappings: required when a new user namespace is created")
    // Joining an existing user namespace needs no mappings.
    #expect(validationError { $0.linux?.namespaces?.append(LinuxNamespace(type: .user, path: "/proc/1/ns/user")) } == nil)
    let mapped = validationError {
        $0.linux?.namespaces?.append(LinuxNamespace(type: .user))
        $0.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 100000, size: 65536)]
        $0.linux?.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 100000, size: 65536)]
    }
    #expect(mapped == nil)
}

@Test func relativeMountDestinationIsRejected() {
    #expect(validationError { $0.mounts?[3].destination = "dev/shm" }?.description == #"mounts[3].destination: must be an absolute path, not "dev/shm""#)
}

@Test func unknownRlimitIsRejected() {
    let error = validationError { $0.process?.rlimits?.append(POSIXRlimit(type: "RLIMIT_FOO", hard: 1, soft: 1)) }
    #expect(error?.description == #"process.rlimits[1].type: unknown rlimit "RLIMIT_FOO""#)
}

@Test func softRlimitAboveHardIsRejected() {
    let error = validationError { $0.process?.rlimits = [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 2048)] }
    #expect(error?.description == "process.rlimits[0].soft: soft limit 2048 exceeds hard limit 1024")
}

@Test func duplicateRlimitIsRejected() {
    let error = validationError { $0.process?.rlimits?.append(POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1, soft: 1)) }
    #expect(error?.path == "process.rlimits[1].type")
}

@Test func unknownCapabilityIsRejected() {
    let error = validationError { $0.process?.capabilities?.effective?.append("CAP_FLY") }
    #expect(error?.description == #"process.capabilities.effective[3]: unknown capability "CAP_FLY""#)
}

@Test func recentCapabilitiesAreKnown() {
    #expect(validationError { $0.process?.capabilities?.ambient = ["CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"] } == nil)
    #expect(LinuxCapabilities.number(of: "CAP_CHECKPOINT_RESTORE") == 40)
    #expect(LinuxCapabilities.number(of: "CAP_SYS_ADMIN") == 21)
    #expect(POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1, soft: 1).resource == 7)
}

@Test func unknownRootfsPropagationIsRejected() {
    #expect(validationError { $0.linux?.rootfsPropagation = "sideways" }?.path == "linux.rootfsPropagation")
    #expect(validationError { $0.linux?.rootfsPropagation = "rslave" } == nil)
}

@Test func netSysctlNeedsNetworkNamespace() {
    let error = validationError {
        $0.linux?.namespaces?.removeAll { $0.type == .network }
        $0.linux?.sysctl = ["net.ipv4.ip_forward": "1"]
    }
    #expect(error?.path == #"linux.sysctl["net.ipv4.ip_forward"]"#)
    #expect(error?.message.contains("network namespace") == true)
    #expect(validationError { $0.linux?.sysctl = ["net/ipv4/ip_forward": "1", "kernel.shmmax": "1"] } == nil)
}

@Test func utsAndHostSysctlsFollowRuncRules() {
    #expect(validationError { $0.linux?.sysctl = ["kernel.hostname": "x"] }?.path == #"linux.sysctl["kernel.hostname"]"#)
    #expect(validationError { $0.linux?.sysctl = ["kernel.domainname": "x"] } == nil)
    #expect(validationError { $0.linux?.sysctl = ["vm.swappiness": "1"] }?.message == "is not namespaced; a container cannot set it")
    let ipc = validationError {
        $0.linux?.namespaces?.removeAll { $0.type == .ipc }
        $0.linux?.sysctl = ["fs.mqueue.msg_max": "10"]
    }
    #expect(ipc?.path == #"linux.sysctl["fs.mqueue.msg_max"]"#)
}

@Test func hostnameNeedsUTSNamespace() {
    let error = validationError { $0.linux?.namespaces?.removeAll { $0.type == .uts } }
    #expect(error?.path == "hostname")
    #expect(error?.message.hasPrefix("cannot be set without a UTS namespace") == true)
}

@Test func badDeviceTypeIsRejected() {
    let error = validationError { $0.linux?.devices = [LinuxDevice(path: "/dev/fuse", type: "x", major: 10, minor: 229)] }
    #expect(error?.description == #"linux.devices[0].type: unknown device type "x" (expected c, u, b or p)"#)
    #expect(validationError { $0.linux?.devices = [LinuxDevice(path: "/dev/fuse", type: "c", major: 10, minor: 229)] } == nil)
}

@Test func unknownSeccompActionIsRejected() {
    let error = validationError {
        $0.linux?.seccomp = LinuxSeccomp(
            defaultAction: "SCMP_ACT_ERRNO",
            syscalls: [LinuxSyscall(names: ["read"], action: "SCMP_ACT_ALLOW"), LinuxSyscall(names: ["mount"], action: "SCMP_ACT_MAYBE")])
    }
    #expect(error?.description == #"linux.seccomp.syscalls[1].action: unknown seccomp action "SCMP_ACT_MAYBE""#)
    #expect(validationError { $0.linux?.seccomp = LinuxSeccomp(defaultAction: "ALLOW") }?.path == "linux.seccomp.defaultAction")
}

@Test func unknownSeccompOperatorIsRejected() {
    let error = validationError {
        $0.linux?.seccomp = LinuxSeccomp(
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [LinuxSyscall(names: ["personality"], action: "SCMP_ACT_ERRNO", args: [LinuxSeccompArg(index: 0, value: 8, op: "SCMP_CMP_ABOUT")])])
    }
    #expect(error?.description == #"linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "SCMP_CMP_ABOUT""#)
}

@Test func unknownSeccompFlagIsRejected() {
    let error = validationError { $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FAST"]) }
    #expect(error?.description == #"linux.seccomp.flags[1]: unknown seccomp flag "SECCOMP_FILTER_FLAG_FAST""#)
}

@Test func errnoRetOnlyGoesWithErrnoOrTrace() {
    let error = validationError {
        $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [LinuxSyscall(names: ["read"], action: "SCMP_ACT_KILL", errnoRet: 1)])
    }
    #expect(error?.path == "linux.seccomp.syscalls[0].errnoRet")
}

@Test func notifyNeedsListenerPath() {
    let error = validationError {
        $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [LinuxSyscall(names: ["mknod"], action: "SCMP_ACT_NOTIFY")])
    }
    #expect(error?.path == "linux.seccomp.listenerPath")
}

@Test func hookPathsAndTimeoutsAreChecked() {
    #expect(validationError { $0.hooks = Hooks(poststop: [Hook(path: "cleanup")]) }?.path == "hooks.poststop[0].path")
    #expect(validationError { $0.hooks = Hooks(createRuntime: [Hook(path: "/bin/true", timeout: 0)]) }?.path == "hooks.createRuntime[0].timeout")
}

@Test func timeOffsetsNeedANewTimeNamespace() {
    #expect(validationError { $0.linux?.timeOffsets = ["monotonic": LinuxTimeOffset(secs: 10)] }?.path == "linux.timeOffsets")
    let ok = validationError {
        $0.linux?.namespaces?.append(LinuxNamespace(type: .time))
        $0.linux?.timeOffsets = ["monotonic": LinuxTimeOffset(secs: 10), "boottime": LinuxTimeOffset(nanosecs: 5)]
    }
    #expect(ok == nil)
}

@Test func maskedPathsNeedAMountNamespace() {
    #expect(validationError { $0.linux?.namespaces?.removeAll { $0.type == .mount } }?.path == "linux.maskedPaths")
}

@Test func problemsListsEveryIssueInDocumentOrder() {
    var spec = Spec.defaultSpec()
    spec.process?.cwd = "x"
    spec.mounts?[0].destination = "proc"
    spec.linux?.rootfsPropagation = "nope"
    #expect(spec.problems().map(\.path) == ["process.cwd", "mounts[0].destination", "linux.rootfsPropagation"])
}
