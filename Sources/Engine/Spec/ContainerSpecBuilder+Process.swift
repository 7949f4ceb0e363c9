import DockerAPI
import OCI

extension ContainerSpecBuilder {
    /// The container's process: argv (behind docker-init with `--init`), environment, cwd,
    /// identity, terminal, capabilities (bounding = effective = permitted, no inheritable or
    /// ambient, as docker), rlimits, no_new_privs and OOM score.
    static func process(
        _ input: ContainerSpecInput, security: SecurityOptions, privileged: Bool
    ) throws(SpecBuildError) -> ProcessSpec {
        let config = input.config
        let host = input.hostConfig
        var args = try ConfigMerger.command(of: config)
        if host.initProcess == true {
            guard input.initPath != nil else { throw .initUnavailable }
            args = [initPathInContainer, "--"] + args
        }
        let cwd = ConfigMerger.workingDirectory(of: config)
        guard cwd.hasPrefix("/") else { throw .invalidWorkingDir(cwd) }

        let caps = try Capabilities.effective(add: host.capAdd, drop: host.capDrop, privileged: privileged)
        if let adj = host.oomScoreAdj, !(-1000...1000).contains(adj) {
            throw .invalidResource(field: "OomScoreAdj", reason: "Invalid value \(adj), range for oom score adj is [-1000, 1000]")
        }
        var console: ConsoleSize?
        if config.tty == true, let size = host.consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
            console = ConsoleSize(height: UInt32(clamping: size[0]), width: UInt32(clamping: size[1]))
        }
        let user = input.user
        return ProcessSpec(
            terminal: config.tty == true,
            consoleSize: console,
            user: OCI.User(uid: user.uid, gid: user.gid,
                           additionalGids: user.additionalGids.isEmpty ? nil : user.additionalGids),
            args: args,
            env: ConfigMerger.processEnvironment(config, hostname: hostname(input), home: user.home),
            cwd: cwd,
            capabilities: LinuxCapabilities(bounding: caps, effective: caps, permitted: caps),
            rlimits: try rlimits(host.ulimits, defaults: input.defaultRlimits),
            noNewPrivileges: security.noNewPrivileges ? true : nil,
            oomScoreAdj: host.oomScoreAdj)
    }

    /// `defaults` with each `--ulimit` replacing the one of the same type.
    /// Names are docker's (`nofile`, `nproc`, `core`, ...); -1 means unlimited.
    public static func rlimits(
        _ ulimits: [Ulimit]?, defaults: [POSIXRlimit] = DockerDefaults.rlimits
    ) throws(SpecBuildError) -> [POSIXRlimit] {
        var limits = defaults
        for ulimit in ulimits ?? [] {
            let type = "RLIMIT_" + ulimit.name.uppercased()
            guard !ulimit.name.isEmpty, POSIXRlimit.knownTypes.contains(type) else {
                throw .invalidUlimitName(ulimit.name)
            }
            func value(_ v: Int64) throws(SpecBuildError) -> UInt64 {
                if v == -1 { return .max }
                guard v >= 0 else { throw .invalidUlimitValue(name: ulimit.name, soft: ulimit.soft, hard: ulimit.hard) }
                return UInt64(v)
            }
            let soft = try value(ulimit.soft)
            let hard = try value(ulimit.hard)
            guard soft <= hard else { throw .invalidUlimitValue(name: ulimit.name, soft: ulimit.soft, hard: ulimit.hard) }
            let limit = POSIXRlimit(type: type, hard: hard, soft: soft)
            if let index = limits.firstIndex(where: { $0.type == type }) {
                limits[index] = limit
            } else {
                limits.append(limit)
            }
        }
        return limits
    }
}
