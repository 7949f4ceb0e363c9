import OCI

/// The device cgroup rules every container gets after its own (as runc does):
/// mknod of anything, and use of the default devices, the pty devices and the
/// devices listed in linux.devices.
enum DefaultDeviceRules {
    static func rule(_ type: String, _ major: Int64?, _ minor: Int64?, _ access: String) -> LinuxDeviceCgroup {
        LinuxDeviceCgroup(allow: true, type: type, major: major, minor: minor, access: access)
    }

    static let defaults: [LinuxDeviceCgroup] = [
        rule("c", nil, nil, "m"), rule("b", nil, nil, "m"),
        rule("c", 1, 3, "rwm"), rule("c", 1, 5, "rwm"), rule("c", 1, 7, "rwm"), rule("c", 1, 8, "rwm"),
        rule("c", 1, 9, "rwm"), rule("c", 5, 0, "rwm"), rule("c", 5, 1, "rwm"), rule("c", 5, 2, "rwm"),
        rule("c", 136, nil, "rwm"),
    ]

    /// `resources` with the default allow rules appended after the config's own device rules.
    static func applied(to resources: LinuxResources?, devices: [LinuxDevice]?) -> LinuxResources {
        var resources = resources ?? LinuxResources()
        let own = devices ?? []
        resources.devices = (resources.devices ?? []) + defaults + own.map {
            rule($0.type == "b" ? "b" : "c", $0.major, $0.minor, "rwm")
        }
        return resources
    }
}
