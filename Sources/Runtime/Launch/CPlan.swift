import CRuntime
import Glibc
import Cgroups
import OCI

/// The C image of a `LaunchPlan`: a `berth_plan` and every string and array it
/// points to, allocated once before clone() and freed when this object goes.
final class CPlan {
    private var allocations: [UnsafeMutableRawPointer] = []
    private(set) var joinFDs: [Int32] = []
    private var cgroupFDs: [Int32] = []
    var plan = berth_plan()

    /// Builds the C plan; opens the namespace files to join and the cgroup files the
    /// container process places itself with (closed on deinit).
    init(_ p: LaunchPlan, cgroup: Cgroup?, syncFD: Int32, parentSyncFD: Int32, startFD: Int32, startIsListener: Bool,
         consoleFD: Int32, preserveFDs: Int32) throws(RuntimeError) {
        plan.sync_fd = syncFD
        plan.parent_sync_fd = parentSyncFD
        plan.start_fd = startFD
        plan.start_is_listener = startIsListener ? 1 : 0
        plan.console_fd = consoleFD
        plan.preserve_fds = preserveFDs

        guard p.joins.count <= 8 else { throw .message("too many namespaces to join") }
        for (i, join) in p.joins.enumerated() {
            let fd = open(join.path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw .errno("opening \(join.type.rawValue) namespace", join.path) }
            joinFDs.append(fd)
            withUnsafeMutableBytes(of: &plan.join_fds) { $0.storeBytes(of: fd, toByteOffset: i * 4, as: Int32.self) }
            withUnsafeMutableBytes(of: &plan.join_types) {
                $0.storeBytes(of: Self.cloneFlag(join.type), toByteOffset: i * 4, as: Int32.self)
            }
        }
        plan.njoin = Int32(p.joins.count)
        var unshare: Int32 = 0
        for type in p.creates where type != .user && type != .cgroup { unshare |= Self.cloneFlag(type) }
        plan.unshare_flags = unshare
        plan.new_userns = p.creates.contains(.user) ? 1 : 0
        plan.new_cgroupns = p.creates.contains(.cgroup) ? 1 : 0
        plan.timens_offsets = cString(p.timeOffsets)
        plan.exec_mode = p.execMode ? 1 : 0

        plan.rootfs = cString(p.rootfs)
        plan.root_propagation_pre = p.rootPropagationPre
        plan.root_propagation_post = p.rootPropagationPost
        plan.readonly_root = p.readonlyRoot ? 1 : 0
        plan.no_pivot = p.noPivot ? 1 : 0
        plan.ops = UnsafePointer(array(p.ops.map(op)))
        plan.nops = Int32(p.ops.count)
        plan.cgroup_sync_op = Int32(p.cgroupSyncOp)
        plan.cgroup_clone_fd = -1
        if let cgroup {
            // From inside a user namespace the kernel checks clone3(CLONE_INTO_CGROUP) against the
            // namespace's credentials; the runtime moves the process instead (see child.c).
            let inUserNamespace = p.creates.contains(.user) || p.joins.contains { $0.type == .user }
            try openCgroup(cgroup, cloneInto: !inUserNamespace)
        }
        plan.sysctls = UnsafePointer(array(p.sysctls.map { berth_sysctl(path: cString($0.path), value: cString($0.value)) }))
        plan.nsysctls = Int32(p.sysctls.count)
        plan.hostname = cString(p.hostname)
        plan.domainname = cString(p.domainname)

        plan.create_container_hooks = UnsafePointer(array(p.createContainerHooks.map(hook)))
        plan.ncreate_container_hooks = Int32(p.createContainerHooks.count)
        plan.start_container_hooks = UnsafePointer(array(p.startContainerHooks.map(hook)))
        plan.nstart_container_hooks = Int32(p.startContainerHooks.count)
        plan.hooks_sync = p.hooksSync ? 1 : 0
        if p.hooksSync {
            let cap = 1 << 20
            let buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 1)
            buf.storeBytes(of: 0, as: UInt8.self)
            allocations.append(buf)
            plan.state_buf = buf.assumingMemoryBound(to: CChar.self)
            plan.state_cap = Int32(cap)
        }

        let proc = p.process
        plan.path_dirs = UnsafePointer(array(proc.pathDirs.map { cString($0) }))
        plan.npath_dirs = Int32(proc.pathDirs.count)
        plan.argv = UnsafePointer(nullTerminated(proc.args))
        plan.envp = UnsafePointer(nullTerminated(proc.env))
        plan.cwd = cString(proc.cwd)
        plan.uid = proc.uid
        plan.gid = proc.gid
        plan.groups = UnsafePointer(array(proc.additionalGids))
        plan.ngroups = Int32(proc.additionalGids.count)
        plan.set_groups = proc.setGroups ? 1 : 0
        plan.umask = proc.umask
        plan.rlimits = UnsafePointer(array(proc.rlimits.map { berth_rlimit(resource: $0.resource, soft: $0.soft, hard: $0.hard) }))
        plan.nrlimits = Int32(proc.rlimits.count)
        if let caps = proc.capabilities {
            plan.set_caps = 1
            plan.cap_bounding = caps.bounding
            plan.cap_effective = caps.effective
            plan.cap_permitted = caps.permitted
            plan.cap_inheritable = caps.inheritable
            plan.cap_ambient = caps.ambient
        }
        plan.cap_last = Int32(Capabilities.lastCap)
        plan.no_new_privs = proc.noNewPrivileges ? 1 : 0
        if let personality = proc.personality {
            plan.set_personality = 1
            plan.personality = personality
        }
        if let prio = proc.ioPriority {
            plan.set_ioprio = 1
            plan.ioprio = prio
        }
        plan.terminal = proc.terminal ? 1 : 0
        plan.console_rows = proc.consoleSize.rows
        plan.console_cols = proc.consoleSize.cols

        if let seccomp = p.seccomp {
            let filter = array(seccomp.filter)
            plan.seccomp_filter = UnsafeRawPointer(filter)
            plan.seccomp_len = UInt16(seccomp.filter.count / 8)
            plan.seccomp_flags = seccomp.flags
        }
    }

    /// v1: the `tasks` file of each hierarchy, written by the process itself; v2: the
    /// directory it is cloned into (see child.c).
    private func openCgroup(_ cgroup: Cgroup, cloneInto: Bool) throws(RuntimeError) {
        var taskFDs: [Int32] = []
        for directory in cgroup.path.directories where directory.mode == .v1 || cloneInto {
            let isV1 = directory.mode == .v1
            let file = isV1 ? directory.path + "/tasks" : directory.path
            let fd = open(file, isV1 ? O_WRONLY | O_CLOEXEC : O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 { throw .errno("opening the container's cgroup", file) }
            cgroupFDs.append(fd)
            if isV1 { taskFDs.append(fd) } else { plan.cgroup_clone_fd = fd }
        }
        plan.cgroup_task_fds = UnsafePointer(array(taskFDs))
        plan.ncgroup_task_fds = Int32(taskFDs.count)
    }

    deinit {
        for fd in joinFDs + cgroupFDs { close(fd) }
        for a in allocations { a.deallocate() }
    }

    static func cloneFlag(_ type: LinuxNamespaceType) -> Int32 {
        switch type {
        case .pid: return 0x2000_0000
        case .network: return 0x4000_0000
        case .mount: return 0x0002_0000
        case .ipc: return 0x0800_0000
        case .uts: return 0x0400_0000
        case .user: return 0x1000_0000
        case .cgroup: return 0x0200_0000
        case .time: return 0x80
        }
    }

    /// Linux's dev_t encoding (sysmacros.h).
    static func makedev(_ major: UInt32, _ minor: UInt32) -> UInt64 {
        let ma = UInt64(major), mi = UInt64(minor)
        return ((ma & 0xffff_f000) << 32) | ((ma & 0xfff) << 8) | ((mi & 0xffff_ff00) << 12) | (mi & 0xff)
    }

    private func cString(_ s: String?) -> UnsafePointer<CChar>? {
        guard let s else { return nil }
        let bytes = Array(s.utf8)
        let buf = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
        buf.copyMemory(from: bytes, byteCount: bytes.count)
        buf.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        allocations.append(buf)
        return UnsafePointer(buf.assumingMemoryBound(to: CChar.self))
    }

    private func array<T>(_ items: [T]) -> UnsafeMutablePointer<T> {
        let buf = UnsafeMutablePointer<T>.allocate(capacity: max(items.count, 1))
        buf.initialize(from: items, count: items.count)
        allocations.append(UnsafeMutableRawPointer(buf))
        return buf
    }

    private func nullTerminated(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        array(strings.map { UnsafeMutablePointer(mutating: cString($0)) } + [nil])
    }

    private func hook(_ h: Hook) -> berth_hook {
        berth_hook(path: cString(h.path), argv: UnsafePointer(nullTerminated(h.args ?? [h.path])),
                   envp: UnsafePointer(nullTerminated(h.env ?? [])), timeout: Int32(h.timeout ?? 0))
    }

    private func op(_ o: FilesystemOp) -> berth_op {
        var c = berth_op()
        switch o {
        case let .mount(source, target, fstype, flags, data, propagation):
            c.kind = Int32(BERTH_OP_MOUNT.rawValue)
            c.source = cString(source); c.target = cString(target); c.fstype = cString(fstype)
            c.flags = flags; c.data = cString(data); c.propagation = propagation
        case let .bind(source, target, flags, propagation, isFile, optional):
            c.kind = Int32(BERTH_OP_BIND.rawValue)
            c.source = cString(source); c.target = cString(target); c.flags = flags
            c.propagation = propagation; c.create_file = isFile ? 1 : 0; c.optional = optional ? 1 : 0
        case let .remount(target, flags):
            c.kind = Int32(BERTH_OP_REMOUNT.rawValue)
            c.target = cString(target); c.flags = flags
        case let .mknod(target, mode, major, minor, uid, gid):
            c.kind = Int32(BERTH_OP_MKNOD.rawValue)
            c.target = cString(target); c.mode = mode
            c.dev = Self.makedev(major, minor); c.uid = uid; c.gid = gid
        case let .symlink(target, to):
            c.kind = Int32(BERTH_OP_SYMLINK.rawValue)
            c.target = cString(target); c.source = cString(to)
        case let .mask(target):
            c.kind = Int32(BERTH_OP_MASK.rawValue)
            c.target = cString(target); c.optional = 1
        case let .readonly(target):
            c.kind = Int32(BERTH_OP_READONLY.rawValue)
            c.target = cString(target); c.optional = 1
        case let .mkdir(target):
            c.kind = Int32(BERTH_OP_MKDIR.rawValue)
            c.target = cString(target)
        }
        return c
    }
}
