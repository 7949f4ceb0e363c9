/// The platform an image is built for: OS, CPU architecture and variant, as in an index's descriptors and an image config.
public struct Platform: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// CPU architecture in Go's naming: `amd64`, `arm64`, `arm`, `386`, `ppc64le`, `s390x`, `riscv64`.
    public var architecture: String
    /// Operating system in Go's naming: `linux`, `windows`.
    public var os: String
    /// OS version (Windows builds); JSON key `os.version`.
    public var osVersion: String?
    /// Required OS features (Windows); JSON key `os.features`.
    public var osFeatures: [String]?
    /// CPU variant: `v7` for arm, `v8` for arm64, `v2`/`v3` for amd64 microarchitecture levels.
    public var variant: String?

    enum CodingKeys: String, CodingKey {
        case architecture
        case os
        case osVersion = "os.version"
        case osFeatures = "os.features"
        case variant
    }

    /// Creates a platform.
    public init(architecture: String, os: String, osVersion: String? = nil, osFeatures: [String]? = nil, variant: String? = nil) {
        self.architecture = architecture
        self.os = os
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.variant = variant
    }

    /// Parses `os/arch[/variant]` as `--platform` takes it (`linux/arm64`, `linux/arm/v7`).
    public init(parsing text: String) throws(ImageError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw ImageError(document: "platform", path: "", message: "invalid platform \"\(text)\": expected os/arch[/variant]")
        }
        self.init(architecture: parts[1], os: parts[0], variant: parts.count == 3 ? parts[2] : nil)
    }

    /// The platform this build of Berth runs on: linux with the compiled architecture.
    public static var current: Platform {
        #if arch(arm64)
        Platform(architecture: "arm64", os: "linux")
        #elseif arch(x86_64)
        Platform(architecture: "amd64", os: "linux")
        #elseif arch(arm)
        Platform(architecture: "arm", os: "linux", variant: "v7")
        #elseif arch(i386)
        Platform(architecture: "386", os: "linux")
        #elseif arch(powerpc64le)
        Platform(architecture: "ppc64le", os: "linux")
        #elseif arch(s390x)
        Platform(architecture: "s390x", os: "linux")
        #elseif arch(riscv64)
        Platform(architecture: "riscv64", os: "linux")
        #else
        Platform(architecture: "unknown", os: "linux")
        #endif
    }

    /// `linux/arm64`, `linux/arm/v7`.
    public var description: String {
        var text = "\(os)/\(architecture)"
        if let variant, !variant.isEmpty { text += "/\(variant)" }
        return text
    }

    /// The platform in canonical form, as containerd normalizes it: lowercase, `x86_64` → `amd64`,
    /// `aarch64` → `arm64` with `v8` dropped (the default), `arm` with no variant → `arm/v7`, `armhf` → `arm/v7`.
    public var normalized: Platform {
        var arch = architecture.lowercased()
        var variant = self.variant?.lowercased() ?? ""
        switch arch {
        case "i386": arch = "386"; variant = ""
        case "x86_64", "x86-64", "amd64":
            arch = "amd64"
            if variant == "v1" { variant = "" }
        case "aarch64", "arm64":
            arch = "arm64"
            if variant == "8" || variant == "v8" || variant == "v8.0" { variant = "" }
        case "armhf": arch = "arm"; variant = "v7"
        case "armel": arch = "arm"; variant = "v6"
        case "arm":
            if variant == "" || variant == "7" { variant = "v7" }
            if variant == "5" || variant == "6" || variant == "8" { variant = "v" + variant }
        default: break
        }
        var result = self
        result.os = os.lowercased() == "macos" ? "darwin" : os.lowercased()
        result.architecture = arch
        result.variant = variant.isEmpty ? nil : variant
        return result
    }

    /// True when both name the same OS, architecture and variant after normalization.
    public func matches(_ other: Platform) -> Bool {
        let lhs = normalized
        let rhs = other.normalized
        return lhs.os == rhs.os && lhs.architecture == rhs.architecture && lhs.variant == rhs.variant
    }

    /// True when a host of this platform runs an image built for `image`: same OS and architecture, and the
    /// image's variant is the host's or an older one of the same architecture (arm/v7 runs arm/v6 and arm/v5,
    /// arm64 runs arm64/v8 images, amd64/v3 runs v2 and v1). Like containerd's strict default matcher.
    public func canRun(_ image: Platform) -> Bool {
        preference(for: image) != nil
    }

    /// How well `image` suits this host: nil when it cannot run, higher for a closer variant.
    func preference(for image: Platform) -> Int? {
        let host = normalized
        let candidate = image.normalized
        guard host.os == candidate.os, host.architecture == candidate.architecture else { return nil }
        if host.variant == candidate.variant { return 1000 }
        guard let hostLevel = Platform.variantLevel(host.variant, architecture: host.architecture),
            let imageLevel = Platform.variantLevel(candidate.variant, architecture: candidate.architecture),
            imageLevel <= hostLevel
        else { return nil }
        return imageLevel
    }

    /// `v7` → 70, `v8.2` → 82, nil → the architecture's baseline; nil for a variant that is not `vN[.M]`.
    static func variantLevel(_ variant: String?, architecture: String) -> Int? {
        guard let variant else {
            switch architecture {
            case "arm64": return 80
            case "arm": return 70
            default: return 10
            }
        }
        guard variant.hasPrefix("v") else { return nil }
        let parts = variant.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major < 100 else { return nil }
        let minor = parts.count == 2 ? Int(parts[1]) : 0
        guard let minor, (0..<10).contains(minor) else { return nil }
        return major * 10 + minor
    }
}
