#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI

/// A seccomp profile in docker's format (`--security-opt seccomp=<json>`, moby's
/// `profiles/seccomp`): rules may apply only for some architectures, capabilities or kernels,
/// and are narrowed to one container by ``linuxSeccomp(capabilities:architecture:kernel:)``.
public struct SeccompProfile: Codable, Sendable, Equatable {
    /// Action for syscalls no rule matches.
    public var defaultAction: String
    /// errno of the default action.
    public var defaultErrnoRet: UInt32?
    /// Architectures, when not given through `archMap`.
    public var architectures: [String]?
    /// Architectures by native one: the filter covers the native's entry and its sub-architectures.
    public var archMap: [ArchitectureMap]?
    /// seccomp(2) filter flags.
    public var flags: [String]?
    /// Notify listener socket.
    public var listenerPath: String?
    /// Notify listener metadata.
    public var listenerMetadata: String?
    /// Rules.
    public var syscalls: [Rule]?

    /// Creates a profile.
    public init(defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil,
                archMap: [ArchitectureMap]? = nil, flags: [String]? = nil, syscalls: [Rule]? = nil) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.archMap = archMap
        self.flags = flags
        self.syscalls = syscalls
    }

    /// A native architecture and the ones its processes may also use (x86_64 → x86, x32).
    public struct ArchitectureMap: Codable, Sendable, Equatable {
        /// libseccomp name, e.g. "SCMP_ARCH_X86_64".
        public var architecture: String
        /// libseccomp names of the compatible architectures.
        public var subArchitectures: [String]?

        /// Creates an entry.
        public init(architecture: String, subArchitectures: [String]? = nil) {
            self.architecture = architecture
            self.subArchitectures = subArchitectures
        }
    }

    /// When a rule applies: every listed capability held, one of the architectures, a kernel
    /// at least this new (includes); or the opposite (excludes).
    public struct Filter: Codable, Sendable, Equatable {
        /// Go architecture names: "amd64", "arm64", "x86", "x32", "s390x", ...
        public var arches: [String]?
        /// Capability names, "CAP_SYS_ADMIN".
        public var caps: [String]?
        /// "4.8".
        public var minKernel: String?

        /// Creates a filter.
        public init(arches: [String]? = nil, caps: [String]? = nil, minKernel: String? = nil) {
            self.arches = arches
            self.caps = caps
            self.minKernel = minKernel
        }
    }

    /// One rule: an action for some syscalls, maybe only when arguments match.
    public struct Rule: Codable, Sendable, Equatable {
        /// Legacy single name.
        public var name: String?
        /// Syscall names.
        public var names: [String]?
        /// Action, e.g. "SCMP_ACT_ALLOW".
        public var action: String
        /// errno for SCMP_ACT_ERRNO/TRACE.
        public var errnoRet: UInt32?
        /// Argument conditions (all must hold).
        public var args: [LinuxSeccompArg]?
        /// Free text.
        public var comment: String?
        /// The rule applies only when all of these hold.
        public var includes: Filter?
        /// The rule does not apply when any of these holds.
        public var excludes: Filter?

        /// Creates a rule.
        public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [LinuxSeccompArg]? = nil,
                    includes: Filter? = nil, excludes: Filter? = nil) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
            self.includes = includes
            self.excludes = excludes
        }
    }

    /// Parses a profile from its JSON text; errors say what is wrong, in docker's terms.
    public static func parse(_ json: String) throws(SpecBuildError) -> SeccompProfile {
        let profile: SeccompProfile
        do {
            profile = try JSONDecoder().decode(SeccompProfile.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw .invalidSeccompProfile(describe(error))
        } catch {
            throw .invalidSeccompProfile("\(error)")
        }
        try profile.check()
        return profile
    }

    /// The consistency docker checks before using a profile.
    func check() throws(SpecBuildError) {
        if defaultAction.isEmpty { throw .invalidSeccompProfile("the profile has no defaultAction") }
        if !(architectures ?? []).isEmpty && !(archMap ?? []).isEmpty {
            throw .invalidSeccompProfile("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'")
        }
        for (i, rule) in (syscalls ?? []).enumerated() {
            if rule.name != nil && !(rule.names ?? []).isEmpty {
                throw .invalidSeccompProfile("syscalls[\(i)]: use either 'name' or 'names'")
            }
            if rule.name == nil && (rule.names ?? []).isEmpty {
                throw .invalidSeccompProfile("syscalls[\(i)]: names is empty")
            }
            if !LinuxSeccomp.knownActions.contains(rule.action) {
                throw .invalidSeccompProfile("syscalls[\(i)]: unknown action \"\(rule.action)\"")
            }
        }
        if !LinuxSeccomp.knownActions.contains(defaultAction) {
            throw .invalidSeccompProfile("unknown defaultAction \"\(defaultAction)\"")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required field is missing"
        case .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return where_.isEmpty ? "not valid JSON" : "\(where_): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The machine a filter is for: its libseccomp and Go names.
public struct SeccompArch: Sendable, Equatable {
    /// libseccomp name, "SCMP_ARCH_X86_64".
    public var scmpName: String
    /// Go name used in profiles' `arches`, "amd64".
    public var goName: String

    /// Creates an architecture.
    public init(scmpName: String, goName: String) {
        self.scmpName = scmpName
        self.goName = goName
    }

    /// The machine Berth runs on.
    public static var native: SeccompArch {
        #if arch(x86_64)
        return SeccompArch(scmpName: "SCMP_ARCH_X86_64", goName: "amd64")
        #elseif arch(arm64)
        return SeccompArch(scmpName: "SCMP_ARCH_AARCH64", goName: "arm64")
        #elseif arch(s390x)
        return SeccompArch(scmpName: "SCMP_ARCH_S390X", goName: "s390x")
        #elseif arch(powerpc64le)
        return SeccompArch(scmpName: "SCMP_ARCH_PPC64LE", goName: "ppc64le")
        #else
        return SeccompArch(scmpName: "SCMP_ARCH_RISCV64", goName: "riscv64")
        #endif
    }
}

extension SeccompProfile {
    /// The OCI filter for a container holding `capabilities` (its bounding set) on
    /// `architecture`, with rules whose includes/excludes do not fit dropped (docker's
    /// `setupSeccomp`). `kernel` (major, minor) decides `minKernel`; nil treats every
    /// minimum as met.
    public func linuxSeccomp(
        capabilities: [String], architecture: SeccompArch = .native, kernel: (Int, Int)? = nil
    ) throws(SpecBuildError) -> LinuxSeccomp {
        try check()
        var arches = architectures ?? []
        if let map = archMap, let entry = map.first(where: { $0.architecture == architecture.scmpName }) {
            arches = [entry.architecture] + (entry.subArchitectures ?? [])
        }
        let caps = Set(capabilities)
        func kernelAtLeast(_ text: String) throws(SpecBuildError) -> Bool {
            let parts = text.split(separator: ".").map { Int($0) }
            guard parts.count >= 2, let major = parts[0], let minor = parts[1] else {
                throw .invalidSeccompProfile("invalid minKernel \"\(text)\"")
            }
            guard let kernel else { return true }
            return kernel.0 > major || (kernel.0 == major && kernel.1 >= minor)
        }
        var rules: [LinuxSyscall] = []
        for rule in syscalls ?? [] {
            if let inc = rule.includes {
                if let list = inc.arches, !list.isEmpty, !list.contains(architecture.goName) { continue }
                if let list = inc.caps, !list.allSatisfy(caps.contains) { continue }
                if let min = inc.minKernel, !min.isEmpty, try !kernelAtLeast(min) { continue }
            }
            if let exc = rule.excludes {
                if let list = exc.arches, list.contains(architecture.goName) { continue }
                if let list = exc.caps, list.contains(where: caps.contains) { continue }
                if let min = exc.minKernel, !min.isEmpty, try kernelAtLeast(min) { continue }
            }
            let names = rule.names ?? rule.name.map { [$0] } ?? []
            rules.append(LinuxSyscall(names: names, action: rule.action, errnoRet: rule.errnoRet, args: rule.args))
        }
        return LinuxSeccomp(
            defaultAction: defaultAction, defaultErrnoRet: defaultErrnoRet,
            architectures: arches.isEmpty ? nil : arches, flags: flags,
            listenerPath: listenerPath, listenerMetadata: listenerMetadata, syscalls: rules)
    }
}
