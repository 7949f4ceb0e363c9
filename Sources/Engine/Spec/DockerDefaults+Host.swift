import Glibc
import OCI

extension DockerDefaults {
    /// RLIMIT_NOFILE as this process holds it, soft raised to hard: what a container of
    /// dockerd + containerd really inherits from its shim (1048576:1048576 under systemd's
    /// LimitNOFILE=infinity). Use it as ``ContainerSpecInput/defaultRlimits`` when the daemon
    /// may lack CAP_SYS_RESOURCE: the runtime then never has to raise a hard limit.
    public static func inheritedRlimits() -> [POSIXRlimit] {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return rlimits }
        let hard = UInt64(limit.rlim_max)
        return [POSIXRlimit(type: "RLIMIT_NOFILE", hard: hard, soft: hard)]
    }
}
