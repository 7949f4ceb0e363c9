import Glibc

/// One file write of a resource plan.
public struct CgroupWrite: Sendable, Equatable {
    /// Controller name, for messages ("memory", "hugetlb", "unified").
    public var controller: String
    /// Files to try in order with the value for each: the first that exists is
    /// written (blkio.weight vs blkio.bfq.weight, io.bfq.weight vs io.weight).
    public var candidates: [(path: String, value: String)]
    /// A missing file is not an error (optional knobs such as hugetlb rsvd).
    public var optional: Bool
    /// If this write fails with EINVAL, perform the next write first and retry
    /// (memory.limit_in_bytes vs memsw, cfs_period vs cfs_quota ordering).
    public var retryAfterNext: Bool

    /// A write of `value` to `path`.
    public init(controller: String, path: String, value: String, optional: Bool = false, retryAfterNext: Bool = false) {
        self.init(controller: controller, candidates: [(path, value)], optional: optional, retryAfterNext: retryAfterNext)
    }

    /// A write to the first of `candidates` that exists.
    public init(controller: String, candidates: [(path: String, value: String)], optional: Bool = false, retryAfterNext: Bool = false) {
        self.controller = controller
        self.candidates = candidates
        self.optional = optional
        self.retryAfterNext = retryAfterNext
    }

    /// The first candidate's path (the one usually written).
    public var path: String { candidates.first?.path ?? "" }
    /// The first candidate's value.
    public var value: String { candidates.first?.value ?? "" }

    /// Equal when they write the same values to the same files the same way.
    public static func == (a: CgroupWrite, b: CgroupWrite) -> Bool {
        a.controller == b.controller && a.optional == b.optional && a.retryAfterNext == b.retryAfterNext
            && a.candidates.map(\.path) == b.candidates.map(\.path)
            && a.candidates.map(\.value) == b.candidates.map(\.value)
    }

    func perform() throws(CgroupError) {
        var lastError: CgroupError?
        for candidate in candidates {
            do {
                try CgroupFile.write(candidate.value, to: candidate.path, controller: controller)
                return
            } catch {
                lastError = error
                if error.errno != ENOENT { throw error }
            }
        }
        if optional { return }
        if let lastError { throw lastError }
    }
}

/// A device filter to install on a v2 directory.
public struct CgroupDeviceFilter: Sendable, Equatable {
    /// The unified directory to attach to.
    public var directory: String
    /// The program built from linux.resources.devices.
    public var program: DeviceFilterProgram
}

/// Everything `apply` will do for a `LinuxResources`, computed without I/O.
public struct CgroupResourcePlan: Sendable, Equatable {
    /// File writes, in order.
    public var writes: [CgroupWrite] = []
    /// The eBPF device filter for v2 hosts, if the spec has device rules.
    public var deviceFilter: CgroupDeviceFilter?

    /// An empty plan.
    public init() {}

    /// The value planned for the file at `path`, if any (tests, debugging).
    public func value(for path: String) -> String? {
        writes.first { $0.path == path }?.value
    }

    mutating func write(_ controller: String, _ path: String, _ value: String, optional: Bool = false, retryAfterNext: Bool = false) {
        writes.append(CgroupWrite(controller: controller, path: path, value: value, optional: optional, retryAfterNext: retryAfterNext))
    }
}

extension Cgroup {
    /// Performs `plan`: every write in order, then the device filter.
    public func apply(_ plan: CgroupResourcePlan) throws(CgroupError) {
        var index = 0
        let writes = plan.writes
        while index < writes.count {
            let write = writes[index]
            do {
                try write.perform()
                index += 1
            } catch {
                guard write.retryAfterNext, error.errno == EINVAL, index + 1 < writes.count else { throw error }
                try writes[index + 1].perform()
                try write.perform()
                index += 2
            }
        }
        if let filter = plan.deviceFilter {
            try filter.program.attach(toCgroup: filter.directory)
        }
    }
}
