import Foundation
import Testing

@testable import OCI

/// Decodes `json`, expecting failure, and returns the rendered error.
func decodeError(_ json: String) -> SpecError? {
    do {
        _ = try Spec.decode(from: Data(json.utf8))
        return nil
    } catch {
        return error
    }
}

/// A minimal valid document with `process` replaced by `process`.
func minimalSpec(process: String = #"{"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/"}"#, linux: String = "{}") -> String {
    #"{"ociVersion": "1.1.0", "root": {"path": "rootfs"}, "process": \#(process), "linux": \#(linux)}"#
}

@Test func defaultSpecRoundTripsThroughJSON() throws {
    let spec = Spec.defaultSpec()
    let data = try spec.encoded(prettyPrinted: true)
    let decoded = try Spec.decode(from: data)
    #expect(decoded == spec)
}

@Test func encodingOmitsAbsentOptionalsInsteadOfWritingNull() throws {
    let text = String(decoding: try Spec.defaultSpec().encoded(), as: UTF8.self)
    #expect(!text.contains("null"))
    #expect(!text.contains("domainname"))
    #expect(!text.contains("\"hooks\""))
    // The deny-all device rule carries only the keys runc writes.
    #expect(text.contains(#"{"access":"rwm","allow":false}"#))
}

@Test func defaultSpecMatchesWhatRuncSpecWrites() throws {
    let spec = Spec.defaultSpec()
    #expect(spec.ociVersion == "1.1.0")
    #expect(spec.process?.args == ["sh"])
    #expect(spec.process?.terminal == true)
    #expect(spec.process?.cwd == "/")
    #expect(spec.process?.noNewPrivileges == true)
    #expect(spec.process?.user == User(uid: 0, gid: 0))
    #expect(spec.process?.env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"])
    let caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    #expect(spec.process?.capabilities == LinuxCapabilities(bounding: caps, effective: caps, permitted: caps))
    #expect(spec.process?.rlimits == [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
    #expect(spec.root == Root(path: "rootfs", readonly: true))
    #expect(spec.hostname == "berth")
    #expect(spec.mounts?.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"])
    #expect(spec.linux?.namespaces?.map(\.type) == [.pid, .network, .ipc, .uts, .mount, .cgroup])
    #expect(spec.linux?.resources?.devices == [LinuxDeviceCgroup(allow: false, access: "rwm")])
    #expect(spec.linux?.maskedPaths?.count == 11)
    #expect(spec.linux?.readonlyPaths == ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])
    try spec.validate()
}

@Test func runcSpecOutputDecodesToTheDefaultWithRuncHostname() throws {
    // What `runc spec` prints on a cgroup v2 host (abridged to the fields that differ from zero).
    let json = """
        {"ociVersion":"1.1.0","process":{"terminal":true,"user":{"uid":0,"gid":0},"args":["sh"],
        "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"],"cwd":"/",
        "capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
        "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
        "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
        "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
        "root":{"path":"rootfs","readonly":true},"hostname":"runc",
        "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
        {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
        {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
        {"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
        {"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]},
        {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
        {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}],
        "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},
        "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}],
        "maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list",
        "/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi","/sys/devices/virtual/tpm"],
        "readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}
        """
    var expected = Spec.defaultSpec()
    expected.hostname = "runc"
    #expect(try Spec.decode(from: Data(json.utf8)) == expected)
}

@Test func wrongTypeNamesThePathAndTheExpectedKind() {
    let error = decodeError(minimalSpec(process: #"{"user": {"uid": "root", "gid": 0}, "args": ["sh"], "cwd": "/"}"#))
    #expect(error == SpecError(path: "process.user.uid", message: "expected a number"))
    #expect(error?.description == "process.user.uid: expected a number")
}

@Test func wrongTypeInsideArraysRendersIndexes() {
    let error = decodeError(minimalSpec(process: #"{"user": {"uid": 0, "gid": 0}, "args": ["sh", 7], "cwd": "/"}"#))
    #expect(error?.description == "process.args[1]: expected a string")
    let notArray = decodeError(minimalSpec(process: #"{"user": {"uid": 0, "gid": 0}, "args": "sh", "cwd": "/"}"#))
    #expect(notArray?.description == "process.args: expected an array")
    let notObject = decodeError(minimalSpec(process: #"{"user": [], "args": ["sh"], "cwd": "/"}"#))
    #expect(notObject?.description == "process.user: expected an object")
    let notBool = decodeError(minimalSpec(process: #"{"terminal": "yes", "user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/"}"#))
    #expect(notBool?.description == "process.terminal: expected a boolean")
}

@Test func unknownNamespaceTypeIsNamedWithItsIndex() {
    let error = decodeError(minimalSpec(linux: #"{"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "foo"}]}"#))
    #expect(error?.description == #"linux.namespaces[2].type: unknown namespace type "foo""#)
}

@Test func missingRequiredFieldIsNamed() {
    let error = decodeError(minimalSpec(process: #"{"user": {"uid": 0, "gid": 0}, "args": ["sh"]}"#))
    #expect(error?.description == "process.cwd: required field is missing")
    let version = decodeError(#"{"process": null}"#)
    #expect(version?.description == "ociVersion: required field is missing")
}

@Test func nullForRequiredFieldIsNamed() {
    let error = decodeError(minimalSpec(process: #"{"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": null}"#))
    #expect(error?.description == "process.cwd: required field is null")
}

@Test func nullForOptionalFieldMeansAbsent() throws {
    let spec = try Spec.decode(from: Data(minimalSpec(process: #"{"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/", "env": null}"#).utf8))
    #expect(spec.process?.env == nil)
}

@Test func outOfRangeNumberIsNamed() {
    let error = decodeError(minimalSpec(process: #"{"user": {"uid": -1, "gid": 0}, "args": ["sh"], "cwd": "/"}"#))
    #expect(error?.path == "process.user.uid")
    #expect(error?.message == "number -1 is out of range (0 to 4294967295)")
}

@Test func malformedJSONSaysSo() {
    let error = decodeError("{\n  \"ociVersion\": \"1.1.0\",,\n}")
    #expect(error?.path == "")
    #expect(error?.description == "config.json is not valid JSON: unexpected character ',' at line 2, column 25")
    #expect(decodeError(#"{"ociVersion": "1.1"#)?.description == "config.json is not valid JSON: unexpected end of data at line 1, column 20")
    #expect(decodeError("")?.description.hasPrefix("config.json is not valid JSON: ") == true)
}

@Test func nonObjectDocumentSaysSo() {
    #expect(decodeError("[1, 2]")?.description == "config.json must be a JSON object")
}

@Test func unknownKeysAreIgnored() throws {
    let json = #"{"ociVersion": "1.1.0", "solaris": {"milestone": "x"}, "linux": {"netDevices": {"eth1": {}}}}"#
    let spec = try Spec.decode(from: Data(json.utf8))
    #expect(spec.linux == Linux())
}

@Test func ioPriorityClassKeyRoundTrips() throws {
    var spec = Spec.defaultSpec()
    spec.process?.ioPriority = LinuxIOPriority(class: "IOPRIO_CLASS_BE", priority: 4)
    let text = String(decoding: try spec.encoded(), as: UTF8.self)
    #expect(text.contains(#""ioPriority":{"class":"IOPRIO_CLASS_BE","priority":4}"#))
    #expect(try Spec.decode(from: spec.encoded()) == spec)
}
