import OCI

/// Docker's `--cap-add`/`--cap-drop`/`--privileged` arithmetic over capability names.
public enum Capabilities {
    /// The capability set of a container's process (bounding = effective = permitted).
    ///
    /// Names are case-insensitive, with or without "CAP_", and "ALL" means every capability:
    /// privileged gets all; `--cap-add ALL` gets all but the dropped ones; `--cap-drop ALL`
    /// gets only the added ones; otherwise the defaults minus the dropped plus the added.
    /// Throws ``SpecBuildError/unknownCapability(_:)`` for a name the kernel does not know.
    public static func effective(
        base: [String] = DockerDefaults.capabilities, add: [String]?, drop: [String]?, privileged: Bool
    ) throws(SpecBuildError) -> [String] {
        if privileged { return DockerDefaults.allCapabilities }
        let adds = try normalize(add ?? [])
        let drops = try normalize(drop ?? [])
        if adds.isEmpty && drops.isEmpty { return base }
        var result: [String]
        if adds.contains("ALL") {
            result = DockerDefaults.allCapabilities.filter { !drops.contains($0) }
        } else if drops.contains("ALL") {
            result = adds
        } else {
            result = base.filter { !drops.contains($0) } + adds
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    /// "net_admin" → "CAP_NET_ADMIN", "all" → "ALL"; unknown names throw.
    public static func normalize(_ names: [String]) throws(SpecBuildError) -> [String] {
        var out: [String] = []
        for raw in names {
            let upper = raw.uppercased()
            if upper == "ALL" {
                out.append("ALL")
                continue
            }
            let name = upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
            guard LinuxCapabilities.number(of: name) != nil else { throw .unknownCapability(name) }
            out.append(name)
        }
        return out
    }
}
