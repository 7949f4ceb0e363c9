import DockerAPI
import OCI

/// Turns a container's docker definition into the OCI runtime spec Berth's runtime runs,
/// as dockerd + containerd would write it. Pure: no I/O, same input, same spec.
public enum ContainerSpecBuilder {
    /// Annotation holding the container's name.
    public static let nameAnnotation = "org.berth.container.name"
    /// Annotation holding the container's full ID.
    public static let idAnnotation = "org.berth.container.id"
    /// Where `--init`'s binary appears in the container.
    public static let initPathInContainer = "/sbin/docker-init"

    /// The complete spec for `input`; throws ``SpecBuildError`` naming the offending field.
    /// The result passes `Spec.validate()`.
    public static func build(_ input: ContainerSpecInput) throws(SpecBuildError) -> Spec {
        let host = input.hostConfig
        let privileged = host.privileged == true
        let security = try SecurityOptions.parse(host.securityOpt)
        let namespaces = try self.namespaces(input)
        let hasUTS = namespaces.contains { $0.type == .uts }

        let process = try self.process(input, security: security, privileged: privileged)
        let capabilities = process.capabilities?.bounding ?? []

        var linux = Linux()
        linux.namespaces = namespaces
        linux.cgroupsPath = cgroupsPath(input)
        linux.resources = try resources(input, privileged: privileged)
        linux.devices = privileged || input.devices.isEmpty ? nil : input.devices.map {
            LinuxDevice(path: $0.pathInContainer, type: $0.type, major: $0.major, minor: $0.minor,
                        fileMode: $0.fileMode, uid: $0.uid, gid: $0.gid)
        }
        if !(host.sysctls ?? [:]).isEmpty { linux.sysctl = host.sysctls }
        if !privileged && !security.unconfinedSystemPaths {
            linux.maskedPaths = host.maskedPaths ?? DockerDefaults.maskedPaths
            linux.readonlyPaths = host.readonlyPaths ?? DockerDefaults.readonlyPaths
        }
        if !privileged {
            switch security.seccomp {
            case .default:
                linux.seccomp = DefaultSeccompProfile.linuxSeccomp(capabilities: capabilities)
            case .unconfined:
                linux.seccomp = nil
            case .profile(let json):
                linux.seccomp = try SeccompProfile.parse(json).linuxSeccomp(capabilities: capabilities)
            }
        }

        var annotations = [idAnnotation: input.id]
        if !input.name.isEmpty { annotations[nameAnnotation] = input.name }

        let spec = Spec(
            process: process,
            root: Root(path: input.rootfsPath, readonly: host.readonlyRootfs == true ? true : nil),
            hostname: hasUTS ? hostname(input) : nil,
            domainname: hasUTS && !(input.config.domainname ?? "").isEmpty ? input.config.domainname : nil,
            mounts: try mounts(input, privileged: privileged, writableCgroups: security.writableCgroups),
            annotations: annotations,
            linux: linux)
        do {
            try spec.validate()
        } catch {
            throw .invalidSpec(error.description)
        }
        return spec
    }

    /// The container's hostname: `Hostname`, or the first 12 characters of the ID.
    public static func hostname(_ input: ContainerSpecInput) -> String {
        if let name = input.config.hostname, !name.isEmpty { return name }
        return String(input.id.prefix(12))
    }

    /// `linux.cgroupsPath`: `<parent>/<id>`, absolute (resolved below each hierarchy's root),
    /// where the parent is `HostConfig.CgroupParent` or else `input.cgroupParent` ("/berth").
    public static func cgroupsPath(_ input: ContainerSpecInput) -> String {
        var parent = input.hostConfig.cgroupParent ?? ""
        if parent.isEmpty { parent = input.cgroupParent }
        if !parent.hasPrefix("/") { parent = "/" + parent }
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        return (parent == "/" ? "" : parent) + "/" + input.id
    }

    /// pid, ipc, uts, mount and network namespaces as the modes ask; a cgroup namespace
    /// when `--cgroupns private`, or by default on a pure cgroup v2 host.
    static func namespaces(_ input: ContainerSpecInput) throws(SpecBuildError) -> [LinuxNamespace] {
        let host = input.hostConfig
        var list: [LinuxNamespace] = []
        switch host.pidMode ?? "" {
        case "", "private": list.append(LinuxNamespace(type: .pid))
        case "host": break
        case let mode: throw .unsupportedMode(field: "PidMode", value: mode)
        }
        switch host.ipcMode ?? "" {
        case "", "private", "shareable", "none": list.append(LinuxNamespace(type: .ipc))
        case "host": break
        case let mode: throw .unsupportedMode(field: "IpcMode", value: mode)
        }
        switch host.utsMode ?? "" {
        case "": list.append(LinuxNamespace(type: .uts))
        case "host": break
        case let mode: throw .unsupportedMode(field: "UTSMode", value: mode)
        }
        list.append(LinuxNamespace(type: .mount))
        switch input.network {
        case .new: list.append(LinuxNamespace(type: .network))
        case .host: break
        case .join(let path): list.append(LinuxNamespace(type: .network, path: path))
        }
        switch host.cgroupnsMode ?? "" {
        case "": if input.cgroupV2Only { list.append(LinuxNamespace(type: .cgroup)) }
        case "private": list.append(LinuxNamespace(type: .cgroup))
        case "host": break
        case let mode: throw .unsupportedMode(field: "CgroupnsMode", value: mode)
        }
        if let userns = host.usernsMode, !userns.isEmpty, userns != "host" {
            throw .unsupportedMode(field: "UsernsMode", value: userns)
        }
        return list
    }
}
