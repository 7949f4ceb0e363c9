import DockerAPI
import OCI

/// Docker's rules for combining an image's run defaults with a container's create config,
/// and for the environment and command the container's process finally gets.
public enum ConfigMerger {
    /// The PATH a container gets when neither the image nor the container sets one.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The signal `docker stop` sends when neither the container nor the image names one.
    public static let defaultStopSignal = "SIGTERM"

    /// The container's config completed from the image's, as docker's daemon does at create:
    ///
    /// - `User`, `WorkingDir`, `StopSignal`: the container's when non-empty, else the image's.
    /// - `Env`: the container's entries, then the image's whose key the container does not set.
    /// - `Labels`, `ExposedPorts`, `Volumes`: union; the container's label wins on a clash.
    /// - `Entrypoint`/`Cmd`: a container Entrypoint replaces the image's and then only the
    ///   container's Cmd is used (the image's Cmd is dropped). Without a container Entrypoint
    ///   the image's Cmd fills an empty container Cmd, and the image's Entrypoint is used
    ///   unless the container cleared it explicitly (`[]`, or `[""]` as the CLI's
    ///   `--entrypoint ""` sends).
    /// - `Healthcheck`: the image's fills what the container's leaves unset.
    ///
    /// Throws ``SpecBuildError/noCommand`` when the result runs nothing.
    public static func merge(
        _ container: DockerAPI.ContainerConfig, image: OCI.ContainerConfig?
    ) throws(SpecBuildError) -> DockerAPI.ContainerConfig {
        var merged = container
        if merged.entrypoint == [""] { merged.entrypoint = [] }
        guard let image else {
            _ = try command(of: merged)
            return merged
        }
        if (merged.user ?? "").isEmpty, let user = image.user { merged.user = user }
        merged.exposedPorts = union(merged.exposedPorts, image.exposedPorts)
        merged.volumes = union(merged.volumes, image.volumes)
        merged.env = mergeEnv(container: merged.env, image: image.env)
        if let imageLabels = image.labels, !imageLabels.isEmpty {
            merged.labels = (merged.labels ?? [:]).merging(imageLabels) { own, _ in own }
        }
        if (merged.entrypoint ?? []).isEmpty {
            if (merged.cmd ?? []).isEmpty { merged.cmd = image.cmd }
            if merged.entrypoint == nil { merged.entrypoint = image.entrypoint }
        }
        merged.healthcheck = mergeHealthcheck(merged.healthcheck, image.healthcheck)
        if (merged.workingDir ?? "").isEmpty, let dir = image.workingDir { merged.workingDir = dir }
        if (merged.stopSignal ?? "").isEmpty, let signal = image.stopSignal { merged.stopSignal = signal }
        _ = try command(of: merged)
        return merged
    }

    /// The process' argv: Entrypoint followed by Cmd. Throws ``SpecBuildError/noCommand``
    /// when both are empty (or the program name is empty).
    public static func command(of config: DockerAPI.ContainerConfig) throws(SpecBuildError) -> [String] {
        var entrypoint = config.entrypoint ?? []
        if entrypoint == [""] { entrypoint = [] }
        let argv = entrypoint + (config.cmd ?? [])
        guard let first = argv.first, !first.isEmpty else { throw .noCommand }
        return argv
    }

    /// The working directory of the process: the config's, or "/".
    public static func workingDirectory(of config: DockerAPI.ContainerConfig) -> String {
        let dir = config.workingDir ?? ""
        return dir.isEmpty ? "/" : dir
    }

    /// The stop signal: the config's, or SIGTERM.
    public static func stopSignal(of config: DockerAPI.ContainerConfig) -> String {
        let signal = config.stopSignal ?? ""
        return signal.isEmpty ? defaultStopSignal : signal
    }

    /// The environment the process starts with, as docker and runc build it: PATH (default),
    /// HOSTNAME, TERM=xterm with a terminal, then the config's entries replacing those by key
    /// (an entry without "=" removes the variable), then HOME from the user's passwd entry
    /// when still unset.
    public static func processEnvironment(
        _ config: DockerAPI.ContainerConfig, hostname: String, home: String?
    ) -> [String] {
        var env = ["PATH=" + defaultPath, "HOSTNAME=" + hostname]
        if config.tty == true { env.append("TERM=xterm") }
        for entry in config.env ?? [] {
            let key = variableName(entry)
            let index = env.firstIndex { variableName($0) == key }
            if entry.contains("=") {
                if let index { env[index] = entry } else { env.append(entry) }
            } else if let index {
                env.remove(at: index)
            }
        }
        if let home, !env.contains(where: { variableName($0) == "HOME" }) {
            env.append("HOME=" + home)
        }
        return env
    }

    /// "KEY" of "KEY=value" (the whole entry when it has no "=").
    static func variableName(_ entry: String) -> Substring {
        entry.firstIndex(of: "=").map { entry[..<$0] } ?? entry[...]
    }

    private static func mergeEnv(container: [String]?, image: [String]?) -> [String]? {
        guard let container, !container.isEmpty else { return image }
        let keys = Set(container.map(variableName))
        return container + (image ?? []).filter { !keys.contains(variableName($0)) }
    }

    private static func union(
        _ own: [String: DockerAPI.EmptyObject]?, _ image: [String: OCI.EmptyObject]?
    ) -> [String: DockerAPI.EmptyObject]? {
        guard let image, !image.isEmpty else { return own }
        var result = own ?? [:]
        for key in image.keys where result[key] == nil { result[key] = DockerAPI.EmptyObject() }
        return result
    }

    private static func mergeHealthcheck(_ own: HealthConfig?, _ image: Healthcheck?) -> HealthConfig? {
        guard let image else { return own }
        var result = own ?? HealthConfig()
        if (result.test ?? []).isEmpty { result.test = image.test }
        if (result.interval ?? 0) == 0 { result.interval = image.interval }
        if (result.timeout ?? 0) == 0 { result.timeout = image.timeout }
        if (result.startPeriod ?? 0) == 0 { result.startPeriod = image.startPeriod }
        if (result.retries ?? 0) == 0 { result.retries = image.retries }
        return result
    }
}
