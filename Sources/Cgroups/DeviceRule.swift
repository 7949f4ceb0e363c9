import OCI

/// One linux.resources.devices entry, validated.
public struct DeviceRule: Sendable, Equatable {
    /// Device type: all, character or block.
    public enum Kind: String, Sendable, Equatable {
        /// 'a': every type.
        case all = "a"
        /// 'c': character devices.
        case char = "c"
        /// 'b': block devices.
        case block = "b"

        /// The BPF_DEVCG_DEV_* value the kernel passes to device programs.
        var bpfType: Int32 { self == .block ? 1 : 2 }
    }

    /// Requested kinds of access, with the kernel's BPF_DEVCG_ACC_* bit values.
    public struct Access: OptionSet, Sendable, Equatable {
        /// The BPF_DEVCG_ACC_* bits.
        public let rawValue: Int32
        /// Access from raw bits.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// 'm': mknod(2).
        public static let mknod = Access(rawValue: 1)
        /// 'r': open for reading.
        public static let read = Access(rawValue: 2)
        /// 'w': open for writing.
        public static let write = Access(rawValue: 4)
        /// "rwm".
        public static let all: Access = [.read, .write, .mknod]

        /// "rwm"-style text.
        public var text: String {
            (contains(.read) ? "r" : "") + (contains(.write) ? "w" : "") + (contains(.mknod) ? "m" : "")
        }
    }

    /// Allow (true) or deny (false) what the rule matches.
    public var allow: Bool
    /// Device type.
    public var kind: Kind
    /// Major number; nil matches any.
    public var major: Int64?
    /// Minor number; nil matches any.
    public var minor: Int64?
    /// Access the rule is about.
    public var access: Access

    /// A rule from parts.
    public init(allow: Bool, kind: Kind = .all, major: Int64? = nil, minor: Int64? = nil, access: Access = .all) {
        self.allow = allow
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// Validates an OCI rule: type a/c/b (default a), major/minor nil or -1 for
    /// any, access a non-empty subset of "rwm" (default "rwm").
    public init(_ rule: LinuxDeviceCgroup, index: Int = 0) throws(CgroupError) {
        let field = "devices[\(index)]"
        guard let kind = Kind(rawValue: rule.type ?? "a") else {
            throw .invalidValue(field: field + ".type", value: "\"\(rule.type ?? "")\"", reason: "must be \"a\", \"c\" or \"b\"")
        }
        func number(_ value: Int64?, _ name: String) throws(CgroupError) -> Int64? {
            guard let value, value != -1 else { return nil }
            guard value >= 0, value <= Int64(Int32.max) else {
                throw .invalidValue(field: field + "." + name, value: String(value), reason: "must be -1 (any) or 0...\(Int32.max)")
            }
            return value
        }
        var access: Access = []
        for character in rule.access ?? "rwm" {
            switch character {
            case "r": access.insert(.read)
            case "w": access.insert(.write)
            case "m": access.insert(.mknod)
            default:
                throw .invalidValue(field: field + ".access", value: "\"\(rule.access ?? "")\"", reason: "must be made of r, w and m")
            }
        }
        if access.isEmpty {
            throw .invalidValue(field: field + ".access", value: "\"\"", reason: "must be made of r, w and m")
        }
        self.init(allow: rule.allow, kind: kind, major: try number(rule.major, "major"),
                  minor: try number(rule.minor, "minor"), access: access)
    }

    /// The line for v1 devices.allow / devices.deny, e.g. "c 1:3 rwm" or "a *:* rwm".
    public var v1Line: String {
        let majorText = major.map(String.init) ?? "*"
        let minorText = minor.map(String.init) ?? "*"
        return "\(kind.rawValue) \(majorText):\(minorText) \(access.text)"
    }

    /// True for "a *:* rwm": it decides every request on its own.
    public var matchesEverything: Bool {
        kind == .all && major == nil && minor == nil && access == .all
    }

    /// Whether this rule decides a request, with the semantics the BPF program
    /// implements: an allow rule must cover all requested access, a deny rule
    /// any of it.
    public func matches(kind requested: Kind, major: Int64, minor: Int64, access wanted: Access) -> Bool {
        if kind != .all && kind != requested { return false }
        if let m = self.major, m != major { return false }
        if let m = self.minor, m != minor { return false }
        return allow ? access.isSuperset(of: wanted) : !access.intersection(wanted).isEmpty
    }
}
