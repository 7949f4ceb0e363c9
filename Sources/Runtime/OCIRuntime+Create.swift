#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CRuntime
import Cgroups
import Glibc
import OCI

/// Options of `create` and `run`.
public struct CreateOptions: Sendable {
    public var bundle: String
    public var pidFile: String?
    public var consoleSocket: String?
    public var preserveFDs: Int32 = 0
    public var noPivot = false
    /// With a terminal and no console socket, relay the pty to our stdio (run in the foreground).
    public var relayConsole = false
    /// A pipe to wait on before the bundle is read: one byte says it is ready, end of file that
    /// it never will be. berth-shim spawns the runtime this way while berthd still writes the
    /// bundle, so the runtime's exec and start-up overlap that (`BERTH_RUNTIME_GO_FD`).
    public var goFD: Int32?

    public init(bundle: String) {
        self.bundle = bundle
    }
}

extension OCIRuntime {
    /// How the created process learns it may exec.
    enum StartChannel {
        /// A socket in the state directory that `start` connects to (create).
        case socket
        /// A pipe this invocation writes to (run).
        case pipe
    }

    /// Creates a container: its process waits for `start`. Leaves nothing behind on failure.
    public func create(id: String, options: CreateOptions) throws(RuntimeError) {
        let record = try create(id: id, options: options, channel: .socket).record
        try writePidFile(options.pidFile, pid: record.pid)
    }

    /// Reads and checks config.json of a bundle.
    public static func loadSpec(bundle: String) throws(RuntimeError) -> Spec {
        try loadSpecAndBytes(bundle: bundle).spec
    }

    /// The checked config and its bytes (kept verbatim in the state directory).
    static func loadSpecAndBytes(bundle: String) throws(RuntimeError) -> (spec: Spec, bytes: [UInt8]) {
        let path = bundle + "/config.json"
        let bytes: [UInt8]
        do { bytes = try Host.readBytes(path) } catch {
            throw .message("cannot read \(path): \(error)")
        }
        do {
            let spec = try Spec.decode(from: Data(bytes))
            try spec.validate()
            return (spec, bytes)
        } catch {
            throw .invalidConfig(path: error.path, message: error.message)
        }
    }

    /// A created container; for `.pipe`, the start pipe and the sync socket stay open.
    struct Created {
        var record: ContainerRecord
        /// Write one byte to start the process (run), or -1.
        var startFD: Int32
        /// EOF once the process exec'd (run), or -1.
        var syncFD: Int32
        /// The pty master when the runtime relays the console itself, or -1.
        var consoleMaster: Int32 = -1
    }

    func create(id: String, options: CreateOptions, channel: StartChannel) throws(RuntimeError) -> Created {
        try StateStore.validate(id: id)
        let bundle = Host.absolute(options.bundle, base: Host.currentDirectory())
        Log.trace("create")
        let hierarchy: CgroupHierarchy
        do { hierarchy = try CgroupHierarchy.current() } catch { throw .message("\(error)") }
        if let fd = options.goFD { try Self.awaitGo(fd) }
        let (spec, configBytes) = try Self.loadSpecAndBytes(bundle: bundle)
        Log.trace("spec loaded")
        let lock = try store.reserve(id)
        defer { close(lock) }
        let dir = store.directory(id)

        var cgroup: Cgroup?
        var startWrite: Int32 = -1
        var pid: Int32 = -1
        do throws(RuntimeError) {
            let cg: Cgroup
            do {
                cg = Cgroup(path: try CgroupPath.resolve(cgroupsPath: spec.linux?.cgroupsPath, containerID: id, hierarchy: hierarchy))
            } catch {
                throw .message("\(error)")
            }
            cgroup = cg
            do { try cg.create() } catch { throw .message("\(error)") }
            Log.trace("cgroup ready")
            let context = PlanContext(bundle: bundle, cgroupMounts: Self.cgroupMounts(cg.path), seccompCache: store.seccompCache)
            var plan = try LaunchPlan.container(spec: spec, context: context)
            if options.noPivot { plan.noPivot = true }
            Log.trace("planned")

            var channels = LaunchChannels()
            channels.preserveFDs = options.preserveFDs
            var childEnds: [Int32] = []
            defer { childEnds.forEach { close($0) } }
            switch channel {
            case .socket:
                channels.startFD = try Self.listen(directory: dir, name: "start.sock")
                channels.startIsListener = true
            case .pipe:
                var fds: [Int32] = [-1, -1]
                guard berth_pipe(&fds) == 0 else { throw .errno("creating start pipe") }
                channels.startFD = fds[0]
                startWrite = fds[1]
            }
            childEnds.append(channels.startFD)
            var relay: ConsoleRelay?
            if plan.process.terminal {
                if let socket = options.consoleSocket {
                    channels.consoleFD = try Self.connect(path: socket)
                    childEnds.append(channels.consoleFD)
                } else if options.relayConsole {
                    relay = try ConsoleRelay()
                    channels.consoleFD = relay!.childEnd
                } else {
                    throw .message("process.terminal is true: a --console-socket is required to receive the pty")
                }
            }

            let launched = try Launcher.launch(plan, channels: channels, cgroup: cg, prepareCgroup: { () throws(RuntimeError) in
                do {
                    try cg.apply(DefaultDeviceRules.applied(to: spec.linux?.resources, devices: spec.linux?.devices))
                } catch { throw .message("\(error)") }
            }, onHooks: { (p: Int32) throws(RuntimeError) -> [UInt8] in
                let state = hookState(id: id, pid: p, bundle: bundle, spec: spec, status: .creating)
                try HookRunner.run(spec.hooks?.prestart ?? [], kind: "prestart", state: state)
                try HookRunner.run(spec.hooks?.createRuntime ?? [], kind: "createRuntime", state: state)
                // createContainer hooks see "creating", startContainer hooks "created".
                return state + [0] + hookState(id: id, pid: p, bundle: bundle, spec: spec, status: .created)
            })
            pid = launched.pid
            var syncFD = launched.syncFD
            if channel == .socket { close(syncFD); syncFD = -1 }
            Log.trace("launched")
            guard let started = Host.processStart(pid) else { throw .message("container process \(pid) vanished during create") }
            let record = ContainerRecord(id: id, bundle: bundle, rootfs: plan.rootfs, pid: pid, pidStart: started.start,
                                         created: Clock.rfc3339(), owner: Self.owner(), config: spec, cgroup: cg.path)
            try store.save(record, config: configBytes)
            let master = try relay?.receiveMaster() ?? -1
            return Created(record: record, startFD: startWrite, syncFD: syncFD, consoleMaster: master)
        } catch {
            if pid > 0 { Glibc.kill(pid, SIGKILL); var s: Int32 = 0; waitpid(pid, &s, 0) }
            if startWrite >= 0 { close(startWrite) }
            if let cgroup { try? cgroup.killAll(signal: SIGKILL); try? Self.destroy(cgroup, config: spec) }
            store.remove(id)
            throw error
        }
    }

    /// Waits for the go byte on `fd` (see `CreateOptions.goFD`) and closes it.
    static func awaitGo(_ fd: Int32) throws(RuntimeError) {
        Log.trace("waiting for go")
        var byte: UInt8 = 0
        var n: Int
        repeat { n = read(fd, &byte, 1) } while n < 0 && errno == EINTR
        close(fd)
        guard n == 1 else { throw .message("the bundle was never made ready: the go pipe closed") }
        Log.trace("go")
    }

    /// How /sys/fs/cgroup should look inside: one entry per hierarchy of the container's cgroup.
    static func cgroupMounts(_ path: CgroupPath) -> [CgroupMountSource] {
        if path.directories.count == 1, let d = path.directories.first, d.mode == .v2 {
            return [CgroupMountSource(name: "", fstype: "cgroup2", options: nil, hostPath: d.path)]
        }
        return path.directories.map { d in
            let name = d.mountPoint.split(separator: "/").last.map(String.init) ?? "unified"
            if d.mode == .v2 { return CgroupMountSource(name: name, fstype: "cgroup2", options: nil, hostPath: d.path) }
            let named = d.controllers.first { $0.hasPrefix("name=") }
            let options = named.map { "none,\($0)" } ?? d.controllers.joined(separator: ",")
            return CgroupMountSource(name: name, fstype: "cgroup", options: options, hostPath: d.path)
        }
    }

    /// The caller's user name from /etc/passwd (no NSS: the binary is static), or its uid.
    static func owner() -> String {
        let uid = String(getuid())
        let passwd = (try? Host.readFile("/etc/passwd")) ?? ""
        for line in passwd.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 2, fields[2] == uid { return String(fields[0]) }
        }
        return uid
    }

    func writePidFile(_ path: String?, pid: Int32) throws(RuntimeError) {
        guard let path else { return }
        let abs = Host.absolute(path, base: Host.currentDirectory())
        try Host.writeAtomically(abs, Array(String(pid).utf8))
    }

    /// A unix socket address for `path`; long paths go through /proc/self/fd of their directory.
    static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws(RuntimeError) -> T {
        var target = path
        var dirFD: Int32 = -1
        defer { if dirFD >= 0 { close(dirFD) } }
        if path.utf8.count >= 108 {
            let dir = Host.dirname(of: path)
            dirFD = open(dir, berth_o_path() | O_DIRECTORY | O_CLOEXEC)
            if dirFD < 0 { throw .errno("opening", dir) }
            target = "/proc/self/fd/\(dirFD)/" + String(path.split(separator: "/").last ?? "")
        }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(target.utf8)
        guard bytes.count < 108 else { throw .message("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    static func listen(directory: String, name: String) throws(RuntimeError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .errno("creating start socket") }
        let path = directory + "/" + name
        let r = try withAddress(path) { bind(fd, $0, $1) }
        if r != 0 || Glibc.listen(fd, 1) != 0 { close(fd); throw .errno("listening on", path) }
        return fd
    }

    static func connect(path: String) throws(RuntimeError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .errno("creating socket") }
        let r = try withAddress(path) { Glibc.connect(fd, $0, $1) }
        if r != 0 { close(fd); throw .errno("connecting to", path) }
        return fd
    }
}
