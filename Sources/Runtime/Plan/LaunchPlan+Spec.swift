import CRuntime
import Glibc
import OCI
import Seccomp

/// What the planner needs to know about the host besides config.json.
public struct PlanContext: Sendable {
    /// Absolute bundle directory (relative paths in config.json are relative to it).
    public var bundle: String
    /// How to fill a `cgroup` mount: one entry per hierarchy.
    public var cgroupMounts: [CgroupMountSource]
    /// Where compiled seccomp filters are kept between runs (nil: compile every time).
    public var seccompCache: SeccompCache?

    public init(bundle: String, cgroupMounts: [CgroupMountSource], seccompCache: SeccompCache? = nil) {
        self.bundle = bundle
        self.cgroupMounts = cgroupMounts
        self.seccompCache = seccompCache
    }
}

/// One cgroup hierarchy as the container should see it under /sys/fs/cgroup.
public struct CgroupMountSource: Sendable, Equatable {
    /// Directory under the cgroup mount ("memory", "unified"), or "" to mount at the top (pure v2).
    public var name: String
    /// "cgroup" (v1) or "cgroup2".
    public var fstype: String
    /// v1 mount data ("memory", "none,name=systemd"); nil for cgroup2.
    public var options: String?
    /// The container's own cgroup directory on the host, bound when there is no cgroup namespace.
    public var hostPath: String

    public init(name: String, fstype: String, options: String?, hostPath: String) {
        self.name = name
        self.fstype = fstype
        self.options = options
        self.hostPath = hostPath
    }
}

extension LaunchPlan {
    private static let nsOrder: [LinuxNamespaceType] = [.user, .ipc, .uts, .network, .pid, .cgroup, .time, .mount]

    /// The plan for a new container from its config.
    public static func container(spec: Spec, context: PlanContext) throws(RuntimeError) -> LaunchPlan {
        var plan = LaunchPlan()
        guard let root = spec.root else { throw .invalidConfig(path: "root", message: "required field is missing") }
        guard let process = spec.process else { throw .invalidConfig(path: "process", message: "required field is missing") }
        let linux = spec.linux ?? Linux()

        plan.rootfs = Host.absolute(root.path, base: context.bundle)
        guard Host.isDirectory(plan.rootfs) else {
            throw .invalidConfig(path: "root.path", message: "rootfs \(plan.rootfs) does not exist or is not a directory")
        }
        plan.readonlyRoot = root.readonly ?? false
        plan.noPivot = isRamfs(plan.rootfs)

        // Namespaces.
        let namespaces = linux.namespaces ?? []
        for ns in namespaces {
            if let path = ns.path, !path.isEmpty {
                plan.joins.append(Join(type: ns.type, path: path))
            } else {
                plan.creates.insert(ns.type)
            }
        }
        plan.joins.sort { nsOrder.firstIndex(of: $0.type)! < nsOrder.firstIndex(of: $1.type)! }
        guard plan.creates.contains(.mount) else {
            throw .invalidConfig(path: "linux.namespaces", message: "a new mount namespace is required")
        }
        if plan.creates.contains(.user) {
            guard let uids = linux.uidMappings, !uids.isEmpty, let gids = linux.gidMappings, !gids.isEmpty else {
                throw .invalidConfig(path: "linux.uidMappings", message: "a new user namespace needs uidMappings and gidMappings")
            }
            plan.uidMap = uids.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
            plan.gidMap = gids.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
        }
        if plan.creates.contains(.time), let offsets = linux.timeOffsets, !offsets.isEmpty {
            plan.timeOffsets = offsets.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value.secs ?? 0) \($0.value.nanosecs ?? 0)\n" }.joined()
        }
        if let host = spec.hostname {
            guard plan.creates.contains(.uts) || plan.joins.contains(where: { $0.type == .uts }) else {
                throw .invalidConfig(path: "hostname", message: "setting the hostname needs a UTS namespace")
            }
            if !host.isEmpty { plan.hostname = host }
        }
        if let domain = spec.domainname, !domain.isEmpty { plan.domainname = domain }

        // Propagation of the root.
        if let prop = linux.rootfsPropagation, !prop.isEmpty {
            guard let flags = MountOptions.propagations[prop] else {
                throw .invalidConfig(path: "linux.rootfsPropagation", message: "unknown propagation \"\(prop)\"")
            }
            if flags & (MountOptions.MS.private | MountOptions.MS.slave) != 0 {
                plan.rootPropagationPre = flags
            } else {
                plan.rootPropagationPost = flags
            }
        }

        // Mounts, devices, masked and read-only paths.
        plan.ops = try FilesystemPlanner(spec: spec, context: context, userns: plan.creates.contains(.user),
                                         cgroupns: plan.creates.contains(.cgroup)).ops()
        // Cgroup mounts need the cgroup namespace, which needs the final cgroup.
        plan.cgroupSyncOp = plan.ops.firstIndex { op in
            if case let .mount(_, _, fstype, _, _, _) = op { return fstype == "cgroup" || fstype == "cgroup2" }
            if case let .bind(source, _, _, _, _, _) = op { return source.hasPrefix("/sys/fs/cgroup") }
            return false
        } ?? plan.ops.count

        for (key, value) in (linux.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard !key.contains("/"), !key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                throw .invalidConfig(path: "linux.sysctl.\(key)", message: "invalid sysctl name")
            }
            plan.sysctls.append((path: "/proc/sys/" + key.replacingDots(), value: value))
        }

        let hooks = spec.hooks ?? Hooks()
        plan.createContainerHooks = hooks.createContainer ?? []
        plan.startContainerHooks = hooks.startContainer ?? []
        plan.hooksSync = !(hooks.prestart ?? []).isEmpty || !(hooks.createRuntime ?? []).isEmpty
            || !plan.createContainerHooks.isEmpty || !plan.startContainerHooks.isEmpty

        plan.process = try processPlan(process, path: "process", joinedUserNamespace: plan.joins.contains { $0.type == .user })
        // A missing working directory is created, as runc and docker do.
        if plan.process.cwd != "/" { plan.ops.append(.mkdir(target: plan.process.cwd)) }
        if let personality = linux.personality {
            switch personality.domain {
            case "LINUX": plan.process.personality = 0
            case "LINUX32": plan.process.personality = 8
            default: throw .invalidConfig(path: "linux.personality.domain", message: "unknown domain \"\(personality.domain)\"")
            }
        }
        if let seccomp = linux.seccomp {
            do { plan.seccomp = try context.seccompCache?.program(for: seccomp) ?? SeccompCompiler.compile(seccomp) } catch {
                throw .invalidConfig(path: "linux.seccomp", message: "\(error)")
            }
        }
        return plan
    }

    /// The plan for a process joining the running container `pid` (exec).
    public static func exec(process: ProcessSpec, containerPid pid: Int32, seccomp: LinuxSeccomp?, seccompCache: SeccompCache? = nil) throws(RuntimeError) -> LaunchPlan {
        var plan = LaunchPlan()
        plan.execMode = true
        let names: [(LinuxNamespaceType, String)] = [(.user, "user"), (.ipc, "ipc"), (.uts, "uts"), (.network, "net"),
                                                     (.pid, "pid"), (.cgroup, "cgroup"), (.time, "time"), (.mount, "mnt")]
        for (type, name) in names {
            var mine = stat(), theirs = stat()
            let path = "/proc/\(pid)/ns/\(name)"
            guard stat(path, &theirs) == 0 else {
                if Glibc.errno == ENOENT && type == .time { continue }
                throw .errno("inspecting namespace", path)
            }
            if stat("/proc/self/ns/\(name)", &mine) == 0 && mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev { continue }
            plan.joins.append(Join(type: type, path: path))
        }
        plan.process = try processPlan(process, path: "process", joinedUserNamespace: plan.joins.contains { $0.type == .user })
        if let seccomp {
            do { plan.seccomp = try seccompCache?.program(for: seccomp) ?? SeccompCompiler.compile(seccomp) } catch {
                throw .invalidConfig(path: "linux.seccomp", message: "\(error)")
            }
        }
        return plan
    }

    static func processPlan(_ process: ProcessSpec, path: String, joinedUserNamespace: Bool) throws(RuntimeError) -> ProcessPlan {
        var plan = ProcessPlan()
        guard let args = process.args, !args.isEmpty else {
            throw .invalidConfig(path: "\(path).args", message: "at least one argument is required")
        }
        plan.args = args
        plan.env = process.env ?? []
        let pathValue = plan.env.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        plan.pathDirs = pathValue.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        guard process.cwd.hasPrefix("/") else {
            throw .invalidConfig(path: "\(path).cwd", message: "must be an absolute path, got \"\(process.cwd)\"")
        }
        plan.cwd = process.cwd
        plan.uid = process.user.uid
        plan.gid = process.user.gid
        plan.additionalGids = process.user.additionalGids ?? []
        plan.setGroups = !(joinedUserNamespace && plan.additionalGids.isEmpty)
        if let umask = process.user.umask { plan.umask = Int32(umask) }
        for (i, limit) in (process.rlimits ?? []).enumerated() {
            guard let resource = limit.resource.map(Int32.init) else {
                throw .invalidConfig(path: "\(path).rlimits[\(i)].type", message: "unknown rlimit \"\(limit.type)\"")
            }
            plan.rlimits.append(Rlimit(resource: resource, soft: limit.soft, hard: limit.hard))
        }
        if let caps = process.capabilities {
            var sets = CapabilitySets(
                bounding: try Capabilities.mask(caps.bounding, path: "\(path).capabilities.bounding"),
                effective: try Capabilities.mask(caps.effective, path: "\(path).capabilities.effective"),
                permitted: try Capabilities.mask(caps.permitted, path: "\(path).capabilities.permitted"),
                inheritable: try Capabilities.mask(caps.inheritable, path: "\(path).capabilities.inheritable"),
                ambient: try Capabilities.mask(caps.ambient, path: "\(path).capabilities.ambient"))
            // The kernel raises an ambient capability only if it is permitted and
            // inheritable; like runc, the others are skipped rather than fatal.
            sets.ambient &= sets.permitted & sets.inheritable
            plan.capabilities = sets
        }
        plan.noNewPrivileges = process.noNewPrivileges ?? false
        plan.oomScoreAdj = process.oomScoreAdj
        if let prio = process.ioPriority {
            let classes = ["IOPRIO_CLASS_RT": 1, "IOPRIO_CLASS_BE": 2, "IOPRIO_CLASS_IDLE": 3]
            guard let cls = classes[prio.class] else {
                throw .invalidConfig(path: "\(path).ioPriority.class", message: "unknown class \"\(prio.class)\"")
            }
            plan.ioPriority = Int32(cls << 13 | prio.priority)
        }
        plan.terminal = process.terminal ?? false
        if let size = process.consoleSize { plan.consoleSize = (UInt16(clamping: size.height), UInt16(clamping: size.width)) }
        return plan
    }

    private static func isRamfs(_ path: String) -> Bool {
        let type = berth_fs_type(path)
        return type == 0x8584_58f6 /* RAMFS_MAGIC */
    }
}

extension String {
    /// "net.ipv4.ip_forward" → "net/ipv4/ip_forward" (sysctl names to /proc/sys paths).
    func replacingDots() -> String { String(map { $0 == "." ? "/" : $0 }) }
}
