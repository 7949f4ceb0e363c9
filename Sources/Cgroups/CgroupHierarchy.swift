import Glibc

/// Which cgroup interface a hierarchy speaks.
public enum CgroupMode: String, Sendable, Equatable, Codable {
    /// Legacy per-controller hierarchies ("cgroup" filesystem).
    case v1
    /// The unified hierarchy ("cgroup2" filesystem).
    case v2
}

/// One mounted cgroup hierarchy, as seen by this process.
public struct CgroupMount: Sendable, Equatable, Codable {
    /// Where the hierarchy is mounted, e.g. "/sys/fs/cgroup/memory".
    public var mountPoint: String
    /// The cgroup the mount exposes as its root (mountinfo field 4), usually "/".
    public var root: String
    /// v1 or v2.
    public var mode: CgroupMode
    /// Controllers driven through this hierarchy ("cpu", "cpuacct"; for v2 those
    /// listed in the root's cgroup.controllers).
    public var controllers: [String]
    /// This process's own cgroup in the hierarchy, from /proc/self/cgroup ("/" at the top).
    public var ownCgroup: String

    /// Creates a mount description (discovery does this; tests may build their own).
    public init(mountPoint: String, root: String = "/", mode: CgroupMode, controllers: [String], ownCgroup: String = "/") {
        self.mountPoint = mountPoint
        self.root = root
        self.mode = mode
        self.controllers = controllers
        self.ownCgroup = ownCgroup
    }

    /// The directory of cgroup `cgroupPath` (absolute, relative to the hierarchy's top).
    public func directory(for cgroupPath: String) -> String {
        var relative = Substring(cgroupPath)
        if root != "/" && (relative == root || relative.hasPrefix(root + "/")) {
            relative = relative.dropFirst(root.count)
        }
        if relative.isEmpty || relative == "/" { return mountPoint }
        return mountPoint + (relative.hasPrefix("/") ? "" : "/") + relative
    }
}

/// The host's cgroup layout: which hierarchy drives each controller.
///
/// On a v1 host every controller has its own (or a co-mounted) v1 hierarchy; on
/// a v2 host everything is in the unified hierarchy; on a hybrid host controllers
/// bound to v1 are driven there and the rest (here typically hugetlb) on v2,
/// and processes are also placed in the unified hierarchy.
public struct CgroupHierarchy: Sendable, Equatable, Codable {
    /// Every v1 hierarchy that carries at least one controller (named ones like
    /// name=systemd are left out: a container does not get a cgroup there).
    public var v1Mounts: [CgroupMount]
    /// The cgroup2 mount, if any.
    public var unified: CgroupMount?

    /// Builds a hierarchy from already-known mounts.
    public init(v1Mounts: [CgroupMount], unified: CgroupMount?) {
        self.v1Mounts = v1Mounts
        self.unified = unified
    }

    /// True when there is no v1 controller at all (pure cgroup v2 host).
    public var isUnifiedOnly: Bool { v1Mounts.isEmpty && unified != nil }

    /// The hierarchy that drives `controller` ("memory", "cpu", "io", "blkio",
    /// "freezer", "devices", ...), or nil if the host has none.
    /// v2 names are accepted for v1 hierarchies and back: "io" ↔ "blkio".
    /// "freezer" and "devices" map to the unified hierarchy when no v1 one has
    /// them, since v2 provides both in its core (cgroup.freeze, eBPF).
    public func mount(for controller: String) -> CgroupMount? {
        let v1Name = controller == "io" ? "blkio" : controller
        if let m = v1Mounts.first(where: { $0.controllers.contains(v1Name) }) {
            return m
        }
        guard let unified else { return nil }
        let v2Name = controller == "blkio" ? "io" : (controller == "cpuacct" ? "cpu" : controller)
        if v2Name == "freezer" || v2Name == "devices" || unified.controllers.contains(v2Name) {
            return unified
        }
        return nil
    }

    /// Discovers the layout from /proc/self/mountinfo, /proc/self/cgroup and the
    /// unified root's cgroup.controllers.
    public static func current() throws(CgroupError) -> CgroupHierarchy {
        let mountinfo = try CgroupFile.read("/proc/self/mountinfo", controller: "discovery")
        let membership = try CgroupFile.read("/proc/self/cgroup", controller: "discovery")
        var hierarchy = try parse(mountinfo: mountinfo, procSelfCgroup: membership)
        if var unified = hierarchy.unified {
            let path = unified.directory(for: unified.root) + "/cgroup.controllers"
            let text = try CgroupFile.readIfPresent(path, controller: "discovery") ?? ""
            unified.controllers = text.split(separator: " ").map(String.init)
            hierarchy.unified = unified
        }
        return hierarchy
    }

    /// Parses mountinfo and /proc/self/cgroup text (no I/O; v2 controllers left empty).
    public static func parse(mountinfo: String, procSelfCgroup: String) throws(CgroupError) -> CgroupHierarchy {
        // hierarchy-id:controllers:path
        var v1Own: [(controllers: Set<String>, path: String)] = []
        var v2Own: String?
        for line in procSelfCgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw .discovery(path: "/proc/self/cgroup", reason: "unexpected line \"\(line)\"")
            }
            if parts[0] == "0" && parts[1].isEmpty {
                v2Own = String(parts[2])
            } else {
                v1Own.append((Set(parts[1].split(separator: ",").map(String.init)), String(parts[2])))
            }
        }

        var v1Mounts: [CgroupMount] = []
        var unified: CgroupMount?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 4 else { continue }
            let fstype = fields[dash + 1]
            guard fstype == "cgroup" || fstype == "cgroup2" else { continue }
            let root = unescape(fields[3])
            let mountPoint = unescape(fields[4])
            if fstype == "cgroup2" {
                // Prefer the canonical mounts if a cgroup2 fs is mounted several times.
                if unified == nil || mountPoint == "/sys/fs/cgroup" || mountPoint == "/sys/fs/cgroup/unified" {
                    unified = CgroupMount(mountPoint: mountPoint, root: root, mode: .v2, controllers: [],
                                          ownCgroup: v2Own ?? "/")
                }
                continue
            }
            let options = Set(fields[dash + 3].split(separator: ",").map(String.init))
            guard let own = v1Own.first(where: { !$0.controllers.isEmpty && $0.controllers.isSubset(of: options) }) else {
                continue
            }
            let controllers = own.controllers.filter { !$0.hasPrefix("name=") }.sorted()
            if controllers.isEmpty { continue }
            if v1Mounts.contains(where: { $0.controllers == controllers }) { continue }
            v1Mounts.append(CgroupMount(mountPoint: mountPoint, root: root, mode: .v1,
                                        controllers: controllers, ownCgroup: own.path))
        }
        if v1Mounts.isEmpty && unified == nil {
            throw .discovery(path: "/proc/self/mountinfo", reason: "no cgroup or cgroup2 filesystem is mounted")
        }
        return CgroupHierarchy(v1Mounts: v1Mounts, unified: unified)
    }

    /// Undoes mountinfo's octal escapes ("\040" for a space).
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var out: [UInt8] = []
        let bytes = Array(field.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
               let value = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(value)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
