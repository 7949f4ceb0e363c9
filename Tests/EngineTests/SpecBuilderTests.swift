import DockerAPI
import OCI
import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import Engine

/// A container "abcdef0123456789…" running `sh -c true` with docker's defaults.
func specInput(_ configure: (inout ContainerSpecInput) -> Void = { _ in }) -> ContainerSpecInput {
    var config = DockerAPI.ContainerConfig()
    config.cmd = ["sh", "-c", "true"]
    var input = ContainerSpecInput(
        id: "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
        name: "web", config: config, rootfsPath: "/var/lib/berth/rootfs/abc",
        etcFiles: EtcFiles(hosts: "/run/berth/abc/hosts", hostname: "/run/berth/abc/hostname",
                           resolvConf: "/run/berth/abc/resolv.conf"),
        user: ResolvedUser(uid: 0, gid: 0, additionalGids: [0], home: "/root"))
    configure(&input)
    return input
}

@Suite struct SpecBuilderTests {
    @Test func defaultContainerLooksLikeDockers() throws {
        let spec = try ContainerSpecBuilder.build(specInput())
        let process = try #require(spec.process)
        #expect(process.args == ["sh", "-c", "true"])
        #expect(process.cwd == "/")
        #expect(process.terminal == false)
        #expect(process.env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=abcdef012345", "HOME=/root"])
        #expect(process.capabilities?.bounding == DockerDefaults.capabilities)
        #expect(process.capabilities?.effective == DockerDefaults.capabilities)
        #expect(process.capabilities?.permitted == DockerDefaults.capabilities)
        #expect(process.capabilities?.inheritable == nil && process.capabilities?.ambient == nil)
        #expect(process.rlimits == [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1_048_576, soft: 1_048_576)])
        #expect(process.noNewPrivileges == nil)
        #expect(spec.hostname == "abcdef012345")
        #expect(spec.root == Root(path: "/var/lib/berth/rootfs/abc", readonly: nil))
        let linux = try #require(spec.linux)
        #expect(linux.namespaces?.map(\.type) == [.pid, .ipc, .uts, .mount, .network])
        #expect(linux.cgroupsPath == "/berth/abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")
        #expect(linux.maskedPaths == DockerDefaults.maskedPaths)
        #expect(linux.readonlyPaths == DockerDefaults.readonlyPaths)
        #expect(linux.seccomp?.defaultAction == "SCMP_ACT_ERRNO")
        #expect(linux.resources?.devices?.first == LinuxDeviceCgroup(allow: false, access: "rwm"))
        #expect(spec.annotations?[ContainerSpecBuilder.nameAnnotation] == "web")
        let shm = try #require(spec.mounts?.first { $0.destination == "/dev/shm" })
        #expect(shm.options?.contains("size=67108864") == true)
        #expect(spec.mounts?.first { $0.destination == "/sys" }?.options?.contains("ro") == true)
    }

    @Test func cgroupNamespaceOnPureV2HostsOrWhenAsked() throws {
        var spec = try ContainerSpecBuilder.build(specInput { $0.cgroupV2Only = true })
        #expect(spec.linux?.namespaces?.contains { $0.type == .cgroup } == true)
        spec = try ContainerSpecBuilder.build(specInput { $0.hostConfig.cgroupnsMode = "private" })
        #expect(spec.linux?.namespaces?.contains { $0.type == .cgroup } == true)
        spec = try ContainerSpecBuilder.build(specInput { $0.cgroupV2Only = true; $0.hostConfig.cgroupnsMode = "host" })
        #expect(spec.linux?.namespaces?.contains { $0.type == .cgroup } == false)
    }

    @Test func networkHostAndJoin() throws {
        var spec = try ContainerSpecBuilder.build(specInput { $0.network = .host })
        #expect(spec.linux?.namespaces?.contains { $0.type == .network } == false)
        spec = try ContainerSpecBuilder.build(specInput { $0.network = .join(path: "/run/berth/netns/x") })
        #expect(spec.linux?.namespaces?.first { $0.type == .network }?.path == "/run/berth/netns/x")
    }

    @Test func cgroupParentConvention() {
        #expect(ContainerSpecBuilder.cgroupsPath(specInput { $0.id = "c1" }) == "/berth/c1")
        #expect(ContainerSpecBuilder.cgroupsPath(specInput { $0.id = "c1"; $0.hostConfig.cgroupParent = "mygroup/" }) == "/mygroup/c1")
        #expect(ContainerSpecBuilder.cgroupsPath(specInput { $0.id = "c1"; $0.cgroupParent = "/" }) == "/c1")
    }

    @Test func capAddDropAndAll() throws {
        #expect(try Capabilities.effective(add: ["net_admin"], drop: ["cap_chown", "Kill"], privileged: false)
            == DockerDefaults.capabilities.filter { $0 != "CAP_CHOWN" && $0 != "CAP_KILL" } + ["CAP_NET_ADMIN"])
        #expect(try Capabilities.effective(add: ["ALL"], drop: ["NET_RAW"], privileged: false)
            == LinuxCapabilities.knownNames.filter { $0 != "CAP_NET_RAW" })
        #expect(try Capabilities.effective(add: ["CAP_KILL", "chown"], drop: ["all"], privileged: false) == ["CAP_KILL", "CAP_CHOWN"])
        #expect(try Capabilities.effective(add: ["CHOWN"], drop: nil, privileged: false) == DockerDefaults.capabilities)
        #expect(throws: SpecBuildError.unknownCapability("CAP_FOO")) {
            try Capabilities.effective(add: ["foo"], drop: nil, privileged: false)
        }
        #expect(SpecBuildError.unknownCapability("CAP_FOO").description == "unknown capability: \"CAP_FOO\"")
    }

    @Test func privilegedGetsEverything() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.hostConfig.privileged = true
            $0.hostConfig.capDrop = ["ALL"]
        })
        #expect(spec.process?.capabilities?.bounding?.count == 41)
        #expect(spec.process?.capabilities?.bounding?.last == "CAP_CHECKPOINT_RESTORE")
        #expect(spec.linux?.seccomp == nil)
        #expect(spec.linux?.maskedPaths == nil && spec.linux?.readonlyPaths == nil)
        #expect(spec.linux?.resources?.devices == [LinuxDeviceCgroup(allow: true, access: "rwm")])
        #expect(spec.mounts?.first { $0.destination == "/sys" }?.options?.contains("rw") == true)
        #expect(spec.mounts?.first { $0.destination == "/sys/fs/cgroup" }?.options?.contains("rw") == true)
    }

    @Test func readOnlyRootKeepsDevWritableAndEtcFilesReadOnly() throws {
        let spec = try ContainerSpecBuilder.build(specInput { $0.hostConfig.readonlyRootfs = true })
        #expect(spec.root?.readonly == true)
        for dest in ["/dev", "/dev/shm", "/dev/pts", "/dev/mqueue", "/proc"] {
            #expect(spec.mounts?.first { $0.destination == dest }?.options?.contains("ro") == false)
        }
        #expect(spec.mounts?.first { $0.destination == "/etc/hosts" }?.options == ["rbind", "rprivate", "ro"])
    }

    @Test func tmpfsOptionsMergeLikeDocker() throws {
        #expect(try TmpfsOptions.merge("rw,size=64m,mode=1777", destination: "/run")
            == ["noexec", "nosuid", "nodev", "rprivate", "rw", "size=64m", "mode=1777"])
        #expect(try TmpfsOptions.merge("exec,size=1g,size=2g", destination: "/run")
            == ["nosuid", "nodev", "rprivate", "exec", "size=2g"])
        #expect(try TmpfsOptions.merge("", destination: "/run") == ["noexec", "nosuid", "nodev", "rprivate"])
        for bad in ["size=lots", "mode=999", "bogus", "mode=", "uid=x"] {
            #expect(throws: SpecBuildError.invalidTmpfsOption(destination: "/run", option: bad)) {
                try TmpfsOptions.merge("rw,\(bad)", destination: "/run")
            }
        }
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.mounts = ResolvedMount.tmpfs(from: ["/run": "size=64m"])
        })
        let run = try #require(spec.mounts?.first { $0.destination == "/run" })
        #expect(run.type == "tmpfs")
        #expect(run.options == ["noexec", "nosuid", "nodev", "rprivate", "size=64m"])
    }

    @Test func ulimits() throws {
        let limits = try ContainerSpecBuilder.rlimits([Ulimit(name: "nofile", soft: 1024, hard: 2048), Ulimit(name: "core", soft: -1, hard: -1)])
        #expect(limits == [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 2048, soft: 1024),
                           POSIXRlimit(type: "RLIMIT_CORE", hard: .max, soft: .max)])
        #expect(throws: SpecBuildError.invalidUlimitName("nofiles")) {
            try ContainerSpecBuilder.rlimits([Ulimit(name: "nofiles", soft: 1, hard: 1)])
        }
        #expect(throws: SpecBuildError.invalidUlimitValue(name: "nproc", soft: 10, hard: 5)) {
            try ContainerSpecBuilder.rlimits([Ulimit(name: "nproc", soft: 10, hard: 5)])
        }
    }

    @Test func resourcesMath() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.hostConfig.nanoCpus = 1_500_000_000
            $0.hostConfig.memory = 512 << 20
            $0.hostConfig.cpuShares = 512
            $0.hostConfig.cpusetCpus = "0-1,3"
            $0.hostConfig.pidsLimit = 0
            $0.hostConfig.blkioWeight = 300
        })
        let resources = try #require(spec.linux?.resources)
        #expect(resources.cpu?.quota == 150_000)
        #expect(resources.cpu?.period == 100_000)
        #expect(resources.cpu?.shares == 512)
        #expect(resources.cpu?.cpus == "0-1,3")
        #expect(resources.memory?.limit == 536_870_912)
        #expect(resources.memory?.swap == 1_073_741_824)
        #expect(resources.pids?.limit == -1)
        #expect(resources.blockIO?.weight == 300)

        let unlimitedSwap = try ContainerSpecBuilder.build(specInput { $0.hostConfig.memory = 512 << 20; $0.hostConfig.memorySwap = -1 })
        #expect(unlimitedSwap.linux?.resources?.memory?.swap == -1)
        #expect(throws: SpecBuildError.invalidCpuset(field: "cpuset cpus", value: "3-1")) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.cpusetCpus = "3-1" })
        }
        #expect(throws: SpecBuildError.self) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.memory = 1024 })
        }
        #expect(throws: SpecBuildError.self) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.nanoCpus = 1_000_000_000; $0.hostConfig.cpuQuota = 50_000 })
        }
    }

    @Test func mountsSortedByDepthAfterDefaults() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.mounts = [
                .bind(source: "/host/a/b", destination: "/data/a/b", readOnly: true),
                .volume(name: "v", source: "/var/lib/berth/volumes/v/_data", destination: "/data", readOnly: false),
                .bind(source: "/host/c", destination: "/data/c/", readOnly: false, propagation: "rslave"),
            ]
        })
        let destinations = try #require(spec.mounts).map(\.destination)
        #expect(destinations == [
            "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
            "/data", "/data/c", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/data/a/b",
        ])
        let mounts = try #require(spec.mounts)
        #expect(mounts.first { $0.destination == "/data/a/b" }?.options == ["rbind", "ro", "rprivate"])
        #expect(mounts.first { $0.destination == "/data/c" }?.options == ["rbind", "rslave"])
        #expect(mounts.first { $0.destination == "/data" }?.type == "bind")
    }

    @Test func userMountReplacesDefaultAndEtcFile() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.mounts = [.tmpfs(destination: "/dev/shm", options: "size=1g"), .bind(source: "/my/hosts", destination: "/etc/hosts", readOnly: true)]
        })
        let mounts = try #require(spec.mounts)
        #expect(mounts.filter { $0.destination == "/dev/shm" }.count == 1)
        #expect(mounts.first { $0.destination == "/dev/shm" }?.options?.contains("size=1g") == true)
        #expect(mounts.filter { $0.destination == "/etc/hosts" }.map(\.source) == ["/my/hosts"])
        #expect(throws: SpecBuildError.duplicateMountDestination("/x")) {
            try ContainerSpecBuilder.build(specInput {
                $0.mounts = [.tmpfs(destination: "/x", options: ""), .tmpfs(destination: "/x/", options: "")]
            })
        }
    }

    @Test func initWrapsTheCommand() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.hostConfig.initProcess = true
            $0.initPath = "/usr/libexec/berth/docker-init"
        })
        #expect(spec.process?.args == ["/sbin/docker-init", "--", "sh", "-c", "true"])
        #expect(spec.mounts?.last == OCI.Mount(destination: "/sbin/docker-init", type: "bind",
                                              source: "/usr/libexec/berth/docker-init", options: ["bind", "ro"]))
        #expect(throws: SpecBuildError.initUnavailable) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.initProcess = true })
        }
    }

    @Test func ttyUserAndSecurityOptions() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.config.tty = true
            $0.config.workingDir = "/srv"
            $0.hostConfig.consoleSize = [40, 120]
            $0.hostConfig.securityOpt = ["no-new-privileges", "apparmor=unconfined", "label=disable"]
            $0.user = ResolvedUser(uid: 1000, gid: 1000, additionalGids: [1000, 29], home: "/home/app")
        })
        let process = try #require(spec.process)
        #expect(process.terminal == true)
        #expect(process.consoleSize == ConsoleSize(height: 40, width: 120))
        #expect(process.cwd == "/srv")
        #expect(process.user == OCI.User(uid: 1000, gid: 1000, additionalGids: [1000, 29]))
        #expect(process.env?.contains("TERM=xterm") == true)
        #expect(process.env?.last == "HOME=/home/app")
        #expect(process.noNewPrivileges == true)
        #expect(throws: SpecBuildError.invalidSecurityOpt("seccomp")) {
            try ContainerSpecBuilder.build(specInput { $0.hostConfig.securityOpt = ["seccomp"] })
        }
        #expect(throws: SpecBuildError.invalidSecurityOpt("foo=bar")) {
            try SecurityOptions.parse(["foo=bar"])
        }
        #expect(SpecBuildError.invalidSecurityOpt("x").description == "invalid --security-opt: \"x\"")
        #expect(try SecurityOptions.parse(["no-new-privileges=false"]).noNewPrivileges == false)
        let unconfined = try ContainerSpecBuilder.build(specInput { $0.hostConfig.securityOpt = ["seccomp=unconfined"] })
        #expect(unconfined.linux?.seccomp == nil)
    }

    @Test func devicesAndRules() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.devices = [ResolvedDevice(pathInContainer: "/dev/fuse", type: "c", major: 10, minor: 229, permissions: "rw")]
            $0.hostConfig.deviceCgroupRules = ["c 188:* rwm"]
        })
        #expect(spec.linux?.devices == [LinuxDevice(path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0)])
        let rules = try #require(spec.linux?.resources?.devices)
        #expect(rules.suffix(2) == [LinuxDeviceCgroup(allow: true, type: "c", major: 10, minor: 229, access: "rw"),
                                    LinuxDeviceCgroup(allow: true, type: "c", major: 188, minor: nil, access: "rwm")])
        #expect(throws: SpecBuildError.self) { try ContainerSpecBuilder.deviceCgroupRule("x 1:2 rwm") }
    }

    @Test func builtSpecRoundTripsThroughOCIsValidatingDecoder() throws {
        let spec = try ContainerSpecBuilder.build(specInput {
            $0.config.tty = true
            $0.hostConfig.capAdd = ["SYS_ADMIN"]
            $0.hostConfig.memory = 256 << 20
            $0.hostConfig.nanoCpus = 500_000_000
            $0.hostConfig.ulimits = [Ulimit(name: "nproc", soft: 100, hard: 200)]
            $0.hostConfig.sysctls = ["net.ipv4.ip_forward": "1"]
            $0.mounts = [.tmpfs(destination: "/run", options: "size=16m,mode=755"),
                         .bind(source: "/srv", destination: "/srv", readOnly: true)]
            $0.cgroupV2Only = true
        })
        let data = try spec.encoded()
        let decoded = try Spec.decode(from: data)
        try decoded.validate()
        #expect(decoded == spec)
    }
}

@Suite struct SpecDeviceTests {
    @Test func statsHostDeviceNodes() throws {
        let null = try ResolvedDevice.stat(DeviceMapping(pathOnHost: "/dev/null", pathInContainer: "/dev/mynull", cgroupPermissions: "rw"))
        #expect(null == ResolvedDevice(pathInContainer: "/dev/mynull", type: "c", major: 1, minor: 3,
                                       fileMode: null.fileMode, uid: 0, gid: 0, permissions: "rw"))
        #expect(try ResolvedDevice.stat(DeviceMapping(pathOnHost: "/dev/zero")).pathInContainer == "/dev/zero")
        #expect(throws: SpecBuildError.self) { try ResolvedDevice.stat(DeviceMapping(pathOnHost: "/etc/hostname")) }
        #expect(throws: SpecBuildError.self) { try ResolvedDevice.stat(DeviceMapping(pathOnHost: "/dev/nonexistent-berth")) }
    }
}

@Suite struct SpecRlimitTests {
    @Test func inheritedLimitsAreTheDaemonsHardLimit() throws {
        let limits = DockerDefaults.inheritedRlimits()
        #expect(limits.count == 1 && limits[0].type == "RLIMIT_NOFILE")
        #expect(limits[0].soft == limits[0].hard && limits[0].hard > 0)
        let spec = try ContainerSpecBuilder.build(specInput { $0.defaultRlimits = limits })
        #expect(spec.process?.rlimits == limits)
    }
}
