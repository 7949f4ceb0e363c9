#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CRuntime
import Cgroups
import Glibc
import OCI

/// Options of `exec`.
public struct ExecOptions: Sendable {
    /// A process.json to run (replaces everything else).
    public var processFile: String?
    public var args: [String] = []
    public var env: [String] = []
    public var cwd: String?
    /// "uid[:gid]"
    public var user: String?
    public var additionalGids: [UInt32] = []
    public var tty = false
    public var capabilities: [String] = []
    public var noNewPrivileges = false
    public var consoleSocket: String?
    public var pidFile: String?
    public var detach = false
    public var preserveFDs: Int32 = 0

    public init() {}
}

extension OCIRuntime {
    /// Runs a new process in a running container; returns its exit status (0 when detached).
    public func exec(_ id: String, options: ExecOptions) throws(RuntimeError) -> Int32 {
        let record = try store.load(id)
        let status = status(record)
        guard status == .running else { throw .wrongState(id: id, status: status.rawValue, operation: "exec in") }
        let process = try execProcess(record.config, options)
        let plan = try LaunchPlan.exec(process: process, containerPid: record.pid, seccomp: record.config.linux?.seccomp, seccompCache: store.seccompCache)
        var channels = LaunchChannels()
        channels.preserveFDs = options.preserveFDs
        var relay: ConsoleRelay?
        if plan.process.terminal {
            if let socket = options.consoleSocket {
                channels.consoleFD = try Self.connect(path: socket)
            } else if !options.detach {
                relay = try ConsoleRelay()
                channels.consoleFD = relay!.childEnd
            } else {
                throw .message("--tty with --detach needs a --console-socket to receive the pty")
            }
        }
        defer { if channels.consoleFD >= 0 && relay == nil { close(channels.consoleFD) } }
        let cgroup = Cgroup(path: record.cgroup)
        let launched = try Launcher.launch(plan, channels: channels, cgroup: cgroup, onHooks: { _ throws(RuntimeError) in [] })
        let pid = launched.pid
        defer { close(launched.syncFD) }
        let master = try relay?.receiveMaster() ?? -1
        try Launcher.awaitExec(launched.syncFD)
        try writePidFile(options.pidFile, pid: pid)
        if options.detach { return 0 }
        berth_forward_signals(pid)
        if master >= 0 {
            ConsoleRelay.relay(master: master)
            close(master)
        }
        return Self.wait(pid)
    }

    /// The process to exec: process.json, or the container's process with the options applied.
    func execProcess(_ config: Spec, _ options: ExecOptions) throws(RuntimeError) -> ProcessSpec {
        if let file = options.processFile {
            let bytes = try Host.readBytes(file)
            do { return try JSONDecoder().decode(ProcessSpec.self, from: Data(bytes)) } catch {
                throw .message("\(file): \(error)")
            }
        }
        guard var process = config.process else { throw .invalidConfig(path: "process", message: "missing") }
        guard !options.args.isEmpty else { throw .message("exec needs a command (or --process)") }
        process.args = options.args
        process.terminal = options.tty
        process.consoleSize = nil
        process.env = (process.env ?? []) + options.env
        if let cwd = options.cwd { process.cwd = cwd }
        if let user = options.user {
            let parts = user.split(separator: ":", maxSplits: 1)
            guard let uid = UInt32(parts[0]), parts.count == 1 || UInt32(parts[1]) != nil else {
                throw .message("--user \"\(user)\": expected uid[:gid]")
            }
            process.user.uid = uid
            process.user.gid = parts.count == 2 ? UInt32(parts[1])! : 0
            process.user.additionalGids = nil
        }
        if !options.additionalGids.isEmpty { process.user.additionalGids = options.additionalGids }
        if !options.capabilities.isEmpty {
            var caps = process.capabilities ?? LinuxCapabilities()
            func add(_ list: [String]?) -> [String] { Array(Set((list ?? []) + options.capabilities)).sorted() }
            caps.bounding = add(caps.bounding)
            caps.effective = add(caps.effective)
            caps.permitted = add(caps.permitted)
            process.capabilities = caps
        }
        if options.noNewPrivileges { process.noNewPrivileges = true }
        return process
    }
}
