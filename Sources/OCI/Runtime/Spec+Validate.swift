extension Spec {
    /// Checks the configuration for inconsistencies a Linux runtime must refuse, and throws the
    /// first one found, named by its JSON path. Checks needing the host (root path exists,
    /// namespace files, kernel features) are left to the runtime.
    public func validate() throws(SpecError) {
        if let first = problems().first { throw first }
    }

    /// Every inconsistency `validate()` would report, in document order.
    public func problems() -> [SpecError] {
        var validator = SpecValidator()
        validator.check(self)
        return validator.problems
    }
}

/// Walks a `Spec` and collects its problems.
struct SpecValidator {
    private(set) var problems: [SpecError] = []

    private mutating func fail(_ path: String, _ message: String) {
        problems.append(SpecError(path: path, message: message))
    }

    mutating func check(_ spec: Spec) {
        checkVersion(spec.ociVersion)
        if let root = spec.root {
            if root.path.isEmpty { fail("root.path", "must not be empty") }
        } else {
            fail("root", "required field is missing")
        }
        if let process = spec.process {
            check(process)
        } else {
            fail("process", "required field is missing")
        }
        let namespaces = NamespaceSummary(spec.linux?.namespaces ?? [])
        if spec.hostname != nil && spec.hostname != "" && !namespaces.has(.uts) {
            fail("hostname", "cannot be set without a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces)")
        }
        if spec.domainname != nil && spec.domainname != "" && !namespaces.has(.uts) {
            fail("domainname", "cannot be set without a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces)")
        }
        for (i, mount) in (spec.mounts ?? []).enumerated() {
            check(mount, at: "mounts[\(i)]")
        }
        if let hooks = spec.hooks { check(hooks) }
        if let linux = spec.linux { check(linux, namespaces: namespaces) }
    }

    // MARK: - Version

    private mutating func checkVersion(_ version: String) {
        let parts = version.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let minor = parts.count >= 2 ? parts[1].prefix(while: \.isNumber) : ""
        guard parts.count >= 2, parts[0] == "1", !minor.isEmpty else {
            fail("ociVersion", "unsupported version \"\(version)\" (Berth implements runtime-spec 1.x)")
            return
        }
    }

    // MARK: - Process

    private mutating func check(_ process: ProcessSpec) {
        if let args = process.args, let first = args.first {
            if first.isEmpty { fail("process.args[0]", "must name the program to run, not be empty") }
        } else {
            fail("process.args", "must name the program to run")
        }
        if !isAbsolute(process.cwd) {
            fail("process.cwd", "must be an absolute path, not \"\(process.cwd)\"")
        }
        for (i, entry) in (process.env ?? []).enumerated() {
            guard let equals = entry.firstIndex(of: "=") else {
                fail("process.env[\(i)]", "must have the form KEY=value, not \"\(entry)\"")
                continue
            }
            if equals == entry.startIndex { fail("process.env[\(i)]", "variable name is empty") }
            if entry.contains("\0") { fail("process.env[\(i)]", "contains a NUL byte") }
        }
        if let umask = process.user.umask, umask > 0o777 {
            fail("process.user.umask", "must be at most 0777 (511), not \(umask)")
        }
        if let caps = process.capabilities {
            let sets: [(String, [String]?)] = [
                ("bounding", caps.bounding), ("effective", caps.effective), ("inheritable", caps.inheritable),
                ("permitted", caps.permitted), ("ambient", caps.ambient),
            ]
            for (name, set) in sets {
                for (i, cap) in (set ?? []).enumerated() where LinuxCapabilities.number(of: cap) == nil {
                    fail("process.capabilities.\(name)[\(i)]", "unknown capability \"\(cap)\"")
                }
            }
        }
        var seenRlimits: [String: Int] = [:]
        for (i, limit) in (process.rlimits ?? []).enumerated() {
            let path = "process.rlimits[\(i)]"
            if limit.resource == nil {
                fail("\(path).type", "unknown rlimit \"\(limit.type)\"")
            } else if let first = seenRlimits[limit.type] {
                fail("\(path).type", "duplicate rlimit \"\(limit.type)\" (also at process.rlimits[\(first)])")
            } else {
                seenRlimits[limit.type] = i
            }
            if limit.soft > limit.hard {
                fail("\(path).soft", "soft limit \(limit.soft) exceeds hard limit \(limit.hard)")
            }
        }
        if let adj = process.oomScoreAdj, !(-1000...1000).contains(adj) {
            fail("process.oomScoreAdj", "must be between -1000 and 1000, not \(adj)")
        }
        if let io = process.ioPriority {
            if !LinuxIOPriority.knownClasses.contains(io.class) {
                fail("process.ioPriority.class", "unknown I/O priority class \"\(io.class)\"")
            }
            if !(0...7).contains(io.priority) {
                fail("process.ioPriority.priority", "must be between 0 and 7, not \(io.priority)")
            }
        }
        if let scheduler = process.scheduler { check(scheduler) }
        if let affinity = process.execCPUAffinity {
            if let initial = affinity.initial, !isCPUList(initial) {
                fail("process.execCPUAffinity.initial", "not a CPU list like \"0-3,7\": \"\(initial)\"")
            }
            if let final = affinity.final, !isCPUList(final) {
                fail("process.execCPUAffinity.final", "not a CPU list like \"0-3,7\": \"\(final)\"")
            }
        }
    }

    private mutating func check(_ scheduler: Scheduler) {
        let path = "process.scheduler"
        guard Scheduler.knownPolicies.contains(scheduler.policy) else {
            fail("\(path).policy", "unknown scheduling policy \"\(scheduler.policy)\"")
            return
        }
        if let nice = scheduler.nice, !(-20...19).contains(nice) {
            fail("\(path).nice", "must be between -20 and 19, not \(nice)")
        }
        if let priority = scheduler.priority, priority != 0,
            scheduler.policy != "SCHED_FIFO" && scheduler.policy != "SCHED_RR"
        {
            fail("\(path).priority", "only applies to SCHED_FIFO and SCHED_RR, not \(scheduler.policy)")
        }
        if scheduler.policy != "SCHED_DEADLINE" {
            for (name, value) in [("runtime", scheduler.runtime), ("deadline", scheduler.deadline), ("period", scheduler.period)]
            where (value ?? 0) != 0 {
                fail("\(path).\(name)", "only applies to SCHED_DEADLINE, not \(scheduler.policy)")
            }
        }
        for (i, flag) in (scheduler.flags ?? []).enumerated() where !Scheduler.knownFlags.contains(flag) {
            fail("\(path).flags[\(i)]", "unknown scheduler flag \"\(flag)\"")
        }
    }

    // MARK: - Mounts and hooks

    private mutating func check(_ mount: Mount, at path: String) {
        if !isAbsolute(mount.destination) {
            fail("\(path).destination", "must be an absolute path, not \"\(mount.destination)\"")
        }
        let idMapped = mount.uidMappings != nil || mount.gidMappings != nil
        if idMapped {
            if mount.uidMappings == nil || mount.gidMappings == nil {
                fail(path, "an ID-mapped mount needs both uidMappings and gidMappings")
            }
            let options = mount.options ?? []
            if !options.contains("bind") && !options.contains("rbind") {
                fail("\(path).options", "an ID-mapped mount needs the \"bind\" or \"rbind\" option")
            }
        }
    }

    private mutating func check(_ hooks: Hooks) {
        let stages: [(String, [Hook]?)] = [
            ("prestart", hooks.prestart), ("createRuntime", hooks.createRuntime),
            ("createContainer", hooks.createContainer), ("startContainer", hooks.startContainer),
            ("poststart", hooks.poststart), ("poststop", hooks.poststop),
        ]
        for (stage, list) in stages {
            for (i, hook) in (list ?? []).enumerated() {
                let path = "hooks.\(stage)[\(i)]"
                if !isAbsolute(hook.path) {
                    fail("\(path).path", "must be an absolute path, not \"\(hook.path)\"")
                }
                if let timeout = hook.timeout, timeout <= 0 {
                    fail("\(path).timeout", "must be greater than zero, not \(timeout)")
                }
            }
        }
    }

    // MARK: - Linux

    private mutating func check(_ linux: Linux, namespaces: NamespaceSummary) {
        for (i, ns) in (linux.namespaces ?? []).enumerated() {
            if let first = namespaces.firstIndex[ns.type], first != i {
                fail("linux.namespaces[\(i)].type", "duplicate namespace type \"\(ns.type.rawValue)\" (also at linux.namespaces[\(first)])")
            }
            if let path = ns.path, !isAbsolute(path) {
                fail("linux.namespaces[\(i)].path", "must be an absolute path, not \"\(path)\"")
            }
        }
        checkUserNamespace(linux, namespaces: namespaces)
        if let offsets = linux.timeOffsets, !offsets.isEmpty {
            if !namespaces.has(.time) {
                fail("linux.timeOffsets", "needs a time namespace (add {\"type\": \"time\"} to linux.namespaces)")
            } else if !namespaces.creates(.time) {
                fail("linux.timeOffsets", "can only be set for a new time namespace, not a joined one")
            }
            for clock in offsets.keys.sorted() where !Linux.timeOffsetClocks.contains(clock) {
                fail("linux.timeOffsets[\"\(clock)\"]", "unknown clock (expected \"monotonic\" or \"boottime\")")
            }
        }
        for key in (linux.sysctl ?? [:]).keys.sorted() {
            if let message = sysctlProblem(key, namespaces: namespaces) {
                fail("linux.sysctl[\"\(key)\"]", message)
            }
        }
        if let resources = linux.resources { check(resources) }
        for (i, device) in (linux.devices ?? []).enumerated() {
            let path = "linux.devices[\(i)]"
            if !isAbsolute(device.path) {
                fail("\(path).path", "must be an absolute path, not \"\(device.path)\"")
            }
            if !Linux.deviceTypes.contains(device.type) {
                fail("\(path).type", "unknown device type \"\(device.type)\" (expected c, u, b or p)")
            }
        }
        if let seccomp = linux.seccomp { check(seccomp) }
        if let propagation = linux.rootfsPropagation, !propagation.isEmpty,
            !Linux.rootfsPropagationModes.contains(propagation)
        {
            fail("linux.rootfsPropagation", "unknown propagation \"\(propagation)\" (expected shared, slave, private, unbindable or their r- forms)")
        }
        let masked: [(String, [String]?)] = [("maskedPaths", linux.maskedPaths), ("readonlyPaths", linux.readonlyPaths)]
        for (name, paths) in masked {
            guard let paths, !paths.isEmpty else { continue }
            if !namespaces.has(.mount) {
                fail("linux.\(name)", "needs a mount namespace (add {\"type\": \"mount\"} to linux.namespaces)")
            }
            for (i, path) in paths.enumerated() where !isAbsolute(path) {
                fail("linux.\(name)[\(i)]", "must be an absolute path, not \"\(path)\"")
            }
        }
        if let rdt = linux.intelRdt {
            if let clos = rdt.closID, clos == "." || clos == ".." || clos.contains("/") {
                fail("linux.intelRdt.closID", "invalid class of service name \"\(clos)\"")
            }
            if let schema = rdt.memBwSchema, !schema.isEmpty, !schema.hasPrefix("MB:") || schema.contains("\n") {
                fail("linux.intelRdt.memBwSchema", "must start with \"MB:\" and be one line")
            }
            if let schema = rdt.l3CacheSchema, schema.contains("\n") {
                fail("linux.intelRdt.l3CacheSchema", "must be one line")
            }
        }
        if let personality = linux.personality, !LinuxPersonality.knownDomains.contains(personality.domain) {
            fail("linux.personality.domain", "unknown execution domain \"\(personality.domain)\" (expected LINUX or LINUX32)")
        }
    }

    private mutating func checkUserNamespace(_ linux: Linux, namespaces: NamespaceSummary) {
        let maps: [(String, [LinuxIDMapping]?)] = [("uidMappings", linux.uidMappings), ("gidMappings", linux.gidMappings)]
        for (name, mappings) in maps {
            let hasMappings = !(mappings ?? []).isEmpty
            if hasMappings && !namespaces.has(.user) {
                fail("linux.\(name)", "given without a user namespace (add {\"type\": \"user\"} to linux.namespaces)")
            }
            if !hasMappings && namespaces.creates(.user) {
                fail("linux.\(name)", "required when a new user namespace is created")
            }
            for (i, mapping) in (mappings ?? []).enumerated() where mapping.size == 0 {
                fail("linux.\(name)[\(i)].size", "must be greater than zero")
            }
        }
    }

    /// runc's rule: only sysctls of a namespace the container has of its own may be set.
    private func sysctlProblem(_ rawKey: String, namespaces: NamespaceSummary) -> String? {
        let key = dottedSysctl(rawKey)
        let ipcKeys: Set<String> = [
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced",
        ]
        if ipcKeys.contains(key) || key.hasPrefix("fs.mqueue.") {
            return namespaces.has(.ipc) ? nil : "needs an IPC namespace (add {\"type\": \"ipc\"} to linux.namespaces)"
        }
        if key.hasPrefix("net.") {
            return namespaces.has(.network) ? nil : "needs a network namespace (add {\"type\": \"network\"} to linux.namespaces)"
        }
        if key == "kernel.domainname" {
            return namespaces.has(.uts) ? nil : "needs a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces)"
        }
        if key == "kernel.hostname" {
            return namespaces.has(.uts)
                ? "conflicts with the \"hostname\" field; set that instead"
                : "needs a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces); use the \"hostname\" field"
        }
        return "is not namespaced; a container cannot set it"
    }

    /// sysctl(8) accepts "/" as the separator; "net/ipv4/conf/eth0.100/rp_filter" becomes "net.ipv4.conf.eth0/100.rp_filter".
    private func dottedSysctl(_ key: String) -> String {
        guard let first = key.firstIndex(where: { $0 == "." || $0 == "/" }), key[first] == "/" else { return key }
        return String(key.map { $0 == "/" ? "." : $0 == "." ? "/" : $0 })
    }

    private mutating func check(_ resources: LinuxResources) {
        let path = "linux.resources"
        for (i, rule) in (resources.devices ?? []).enumerated() {
            if let type = rule.type, !["a", "c", "b", ""].contains(type) {
                fail("\(path).devices[\(i)].type", "unknown device type \"\(type)\" (expected a, c or b)")
            }
            if let access = rule.access, !access.allSatisfy({ "rwm".contains($0) }) {
                fail("\(path).devices[\(i)].access", "must be letters from \"rwm\", not \"\(access)\"")
            }
        }
        if let memory = resources.memory, let limit = memory.limit, let swap = memory.swap,
            limit > 0, swap > 0, swap < limit
        {
            fail("\(path).memory.swap", "memory+swap limit \(swap) is below the memory limit \(limit)")
        }
        if let swappiness = resources.memory?.swappiness, swappiness > 100 {
            fail("\(path).memory.swappiness", "must be between 0 and 100, not \(swappiness)")
        }
        if let cpu = resources.cpu {
            if let cpus = cpu.cpus, !cpus.isEmpty, !isCPUList(cpus) {
                fail("\(path).cpu.cpus", "not a CPU list like \"0-3,7\": \"\(cpus)\"")
            }
            if let mems = cpu.mems, !mems.isEmpty, !isCPUList(mems) {
                fail("\(path).cpu.mems", "not a node list like \"0-1\": \"\(mems)\"")
            }
        }
        for (i, limit) in (resources.hugepageLimits ?? []).enumerated() where !isPageSize(limit.pageSize) {
            fail("\(path).hugepageLimits[\(i)].pageSize", "must look like \"2MB\" or \"1GB\", not \"\(limit.pageSize)\"")
        }
        for key in (resources.unified ?? [:]).keys.sorted() {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            if key.contains("/") || parts.count < 2 || parts.contains(where: \.isEmpty) {
                fail("\(path).unified[\"\(key)\"]", "must name a cgroup v2 file like \"memory.high\"")
            }
        }
    }

    private mutating func check(_ seccomp: LinuxSeccomp) {
        let path = "linux.seccomp"
        var usesNotify = false
        if !LinuxSeccomp.knownActions.contains(seccomp.defaultAction) {
            fail("\(path).defaultAction", "unknown seccomp action \"\(seccomp.defaultAction)\"")
        } else if seccomp.defaultAction == "SCMP_ACT_NOTIFY" {
            fail("\(path).defaultAction", "SCMP_ACT_NOTIFY cannot be the default action")
        } else if seccomp.defaultErrnoRet != nil, !LinuxSeccomp.actionsWithErrno.contains(seccomp.defaultAction) {
            fail("\(path).defaultErrnoRet", "only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not \(seccomp.defaultAction)")
        }
        for (i, arch) in (seccomp.architectures ?? []).enumerated() where !LinuxSeccomp.knownArchitectures.contains(arch) {
            fail("\(path).architectures[\(i)]", "unknown architecture \"\(arch)\"")
        }
        for (i, flag) in (seccomp.flags ?? []).enumerated() where !LinuxSeccomp.knownFlags.contains(flag) {
            fail("\(path).flags[\(i)]", "unknown seccomp flag \"\(flag)\"")
        }
        for (i, rule) in (seccomp.syscalls ?? []).enumerated() {
            let rulePath = "\(path).syscalls[\(i)]"
            if rule.names.isEmpty { fail("\(rulePath).names", "must name at least one syscall") }
            for (j, name) in rule.names.enumerated() where name.isEmpty {
                fail("\(rulePath).names[\(j)]", "must not be empty")
            }
            if !LinuxSeccomp.knownActions.contains(rule.action) {
                fail("\(rulePath).action", "unknown seccomp action \"\(rule.action)\"")
            } else if rule.errnoRet != nil, !LinuxSeccomp.actionsWithErrno.contains(rule.action) {
                fail("\(rulePath).errnoRet", "only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not \(rule.action)")
            }
            if rule.action == "SCMP_ACT_NOTIFY" {
                usesNotify = true
                if rule.names.contains("write") {
                    fail("\(rulePath).names", "SCMP_ACT_NOTIFY cannot be used for write (the runtime needs it)")
                }
            }
            for (j, arg) in (rule.args ?? []).enumerated() {
                if arg.index > 5 {
                    fail("\(rulePath).args[\(j)].index", "must be between 0 and 5, not \(arg.index)")
                }
                if !LinuxSeccomp.knownOperators.contains(arg.op) {
                    fail("\(rulePath).args[\(j)].op", "unknown seccomp operator \"\(arg.op)\"")
                }
            }
        }
        let listener = seccomp.listenerPath ?? ""
        if usesNotify && listener.isEmpty {
            fail("\(path).listenerPath", "required when a rule uses SCMP_ACT_NOTIFY")
        }
        if !(seccomp.listenerMetadata ?? "").isEmpty && listener.isEmpty {
            fail("\(path).listenerMetadata", "must not be set without listenerPath")
        }
    }

    // MARK: - Helpers

    private func isAbsolute(_ path: String) -> Bool {
        path.hasPrefix("/")
    }

    /// "0-3,7": comma-separated numbers or ascending ranges.
    private func isCPUList(_ list: String) -> Bool {
        guard !list.isEmpty else { return false }
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count) else { return false }
            let numbers = bounds.compactMap { UInt32($0) }
            guard numbers.count == bounds.count, numbers.first! <= numbers.last! else { return false }
        }
        return true
    }

    /// "64KB", "2MB", "1GB".
    private func isPageSize(_ size: String) -> Bool {
        guard size.count >= 3, size.hasSuffix("B") else { return false }
        let unit = size.dropLast().last!
        let digits = size.dropLast(2)
        return "KMG".contains(unit) && !digits.isEmpty && digits.allSatisfy(\.isNumber)
    }
}

/// Which namespaces a configuration has of its own, and whether it creates or joins them.
struct NamespaceSummary {
    /// Index of the first entry of each type.
    let firstIndex: [LinuxNamespaceType: Int]
    private let joined: Set<LinuxNamespaceType>

    init(_ namespaces: [LinuxNamespace]) {
        var first: [LinuxNamespaceType: Int] = [:]
        var joined: Set<LinuxNamespaceType> = []
        for (i, ns) in namespaces.enumerated() where first[ns.type] == nil {
            first[ns.type] = i
            if let path = ns.path, !path.isEmpty { joined.insert(ns.type) }
        }
        self.firstIndex = first
        self.joined = joined
    }

    /// The container has a namespace of this type other than the runtime's (created or joined).
    func has(_ type: LinuxNamespaceType) -> Bool { firstIndex[type] != nil }

    /// The container gets a new namespace of this type.
    func creates(_ type: LinuxNamespaceType) -> Bool { has(type) && !joined.contains(type) }
}
