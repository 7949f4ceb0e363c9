import Foundation
import Testing

@testable import OCI

/// A config.json shaped like the one dockerd (via containerd) writes for
/// `docker run --memory 512m --cpus 1.5 --pids-limit 100 --sysctl net.ipv4.ip_forward=1 nginx`,
/// with the default seccomp profile cut down to a few representative rules.
let dockerConfig = """
    {
      "ociVersion": "1.2.0",
      "process": {
        "user": {"uid": 101, "gid": 101, "additionalGids": [101]},
        "args": ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
        "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=3f4e2a1b9c0d", "NGINX_VERSION=1.27.3"],
        "cwd": "/",
        "capabilities": {
          "bounding": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"],
          "effective": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"],
          "permitted": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]
        },
        "apparmorProfile": "docker-default",
        "oomScoreAdj": 0
      },
      "root": {"path": "/var/lib/docker/overlay2/5c1d/merged"},
      "hostname": "3f4e2a1b9c0d",
      "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid","noexec","nodev"]},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid","strictatime","mode=755","size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid","noexec","nodev","ro"]},
        {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["ro","nosuid","noexec","nodev"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid","noexec","nodev"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid","noexec","nodev","mode=1777","size=67108864"]},
        {"destination": "/etc/resolv.conf", "type": "bind", "source": "/var/lib/docker/containers/3f4e/resolv.conf", "options": ["rbind","rprivate"]},
        {"destination": "/etc/hostname", "type": "bind", "source": "/var/lib/docker/containers/3f4e/hostname", "options": ["rbind","rprivate"]},
        {"destination": "/etc/hosts", "type": "bind", "source": "/var/lib/docker/containers/3f4e/hosts", "options": ["rbind","rprivate"]}
      ],
      "hooks": {
        "createRuntime": [{"path": "/usr/bin/dockerd", "args": ["libnetwork-setkey", "-exec-root=/var/run/docker", "3f4e", "a1b2"], "timeout": 10}]
      },
      "linux": {
        "sysctl": {"net.ipv4.ip_forward": "1", "net.ipv4.ip_unprivileged_port_start": "0"},
        "resources": {
          "devices": [
            {"allow": false, "access": "rwm"},
            {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"},
            {"allow": true, "type": "c", "major": 136, "access": "rwm"},
            {"allow": false, "type": "c", "major": 10, "minor": 229, "access": "rwm"}
          ],
          "memory": {"limit": 536870912, "swap": 1073741824, "disableOOMKiller": false},
          "cpu": {"shares": 1024, "quota": 150000, "period": 100000},
          "pids": {"limit": 100},
          "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
          "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
          "unified": {"memory.oom.group": "1"}
        },
        "cgroupsPath": "system.slice:docker:3f4e2a1b9c0d",
        "namespaces": [
          {"type": "mount"}, {"type": "network"}, {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}, {"type": "cgroup"}
        ],
        "seccomp": {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
          "syscalls": [
            {"names": ["accept","accept4","access","brk","close","execve","exit_group","read","write"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
            {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
          ]
        },
        "maskedPaths": ["/proc/asound","/proc/acpi","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi","/sys/firmware","/sys/devices/virtual/powercap"],
        "readonlyPaths": ["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]
      }
    }
    """

@Test func dockerGeneratedConfigDecodesAndValidates() throws {
    let spec = try Spec.decode(from: Data(dockerConfig.utf8))
    try spec.validate()
    #expect(spec.process?.user.additionalGids == [101])
    #expect(spec.process?.oomScoreAdj == 0)
    #expect(spec.mounts?.count == 10)
    #expect(spec.hooks?.createRuntime?.first?.timeout == 10)
    #expect(spec.linux?.resources?.memory?.limit == 536_870_912)
    #expect(spec.linux?.resources?.cpu?.quota == 150_000)
    #expect(spec.linux?.resources?.pids == LinuxPids(limit: 100))
    #expect(spec.linux?.resources?.devices?[2] == LinuxDeviceCgroup(allow: true, type: "c", major: 136, access: "rwm"))
    #expect(spec.linux?.resources?.blockIO?.throttleReadBpsDevice == [LinuxThrottleDevice(major: 8, minor: 0, rate: 1_048_576)])
    #expect(spec.linux?.seccomp?.defaultErrnoRet == 1)
    #expect(spec.linux?.seccomp?.syscalls?.count == 5)
    #expect(spec.linux?.seccomp?.syscalls?[3].args?.first == LinuxSeccompArg(index: 0, value: 2_114_060_288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ"))
    #expect(spec.linux?.sysctl?["net.ipv4.ip_forward"] == "1")
}

@Test func dockerGeneratedConfigRoundTrips() throws {
    let spec = try Spec.decode(from: Data(dockerConfig.utf8))
    #expect(try Spec.decode(from: spec.encoded()) == spec)
}
