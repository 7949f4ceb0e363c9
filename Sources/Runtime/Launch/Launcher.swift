import CRuntime
import Cgroups
import Glibc

/// File descriptors the container's first process receives.
public struct LaunchChannels {
    /// Child end of the start channel: a listening socket (create) or a pipe's read end (run); -1 to exec at once.
    public var startFD: Int32 = -1
    public var startIsListener = false
    /// Connected console socket to send the pty master to, or -1.
    public var consoleFD: Int32 = -1
    /// Descriptors 3..3+n-1 passed through (runc --preserve-fds).
    public var preserveFDs: Int32 = 0

    public init() {}
}

/// A container process that waits for start, and the runtime's end of its sync socket.
struct LaunchedProcess {
    var pid: Int32
    /// Readable EOF once the process exec'd; an error message if it failed before.
    var syncFD: Int32
}

/// Performs a `LaunchPlan`: clones the children and answers them on the sync socket
/// until the container process is created (or fails, leaving no process behind).
enum Launcher {
    /// Starts the container process; returns its host pid once it waits for start.
    /// The container process enters `cgroup` itself (v1) or is born in it (v2, see
    /// child.c); the runtime moves it only where the kernel refused that.
    /// `prepareCgroup` runs while the first child creates namespaces; `onHooks` runs the
    /// runtime-side creation hooks and returns the state JSON for the container-side ones.
    static func launch(
        _ plan: LaunchPlan,
        channels: LaunchChannels,
        cgroup: Cgroup,
        prepareCgroup: () throws(RuntimeError) -> Void = {},
        onHooks: (Int32) throws(RuntimeError) -> [UInt8]
    ) throws(RuntimeError) -> LaunchedProcess {
        var pair: [Int32] = [-1, -1]
        if socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) != 0 {
            throw .errno("creating sync socket")
        }
        let parentFD = pair[0]
        var handedOver = false
        defer { if !handedOver { close(parentFD) } }
        let cplan = try CPlan(plan, cgroup: cgroup, syncFD: pair[1], parentSyncFD: parentFD, startFD: channels.startFD, startIsListener: channels.startIsListener,
                              consoleFD: channels.consoleFD, preserveFDs: channels.preserveFDs)
        let first = withUnsafePointer(to: &cplan.plan) { berth_spawn($0) }
        close(pair[1])
        if first < 0 { throw .system(operation: "cloning the container's first process", path: nil, errno: -first) }

        var container: Int32 = -1
        var firstReaped = false
        func abandon() {
            if container > 0 { kill(container, SIGKILL); var s: Int32 = 0; waitpid(container, &s, 0) }
            if !firstReaped { kill(first, SIGKILL); var s: Int32 = 0; waitpid(first, &s, 0) }
        }
        do throws(RuntimeError) {
            if let adj = plan.process.oomScoreAdj {
                try Host.writeExisting("/proc/\(first)/oom_score_adj", String(adj))
            }
            try send(parentFD, BERTH_MSG_GO)
            Log.trace("spawned")
            try prepareCgroup()
            Log.trace("cgroup prepared")
            if let uidMap = plan.uidMap, let gidMap = plan.gidMap {
                try expect(parentFD, BERTH_MSG_USERNS)
                try Host.writeExisting("/proc/\(first)/uid_map", uidMap)
                try Host.writeExisting("/proc/\(first)/gid_map", gidMap)
                try send(parentFD, BERTH_MSG_GO)
            }
            let forked = try expect(parentFD, BERTH_MSG_PID)
            container = forked.value
            Log.trace("forked container process")
            var status: Int32 = 0
            while waitpid(first, &status, 0) < 0 && errno == EINTR {}
            firstReaped = true
            if forked.err == 0 {
                do { try cgroup.add(pid: container, modes: [.v2]) } catch { throw .message("\(error)") }
            }
            try send(parentFD, BERTH_MSG_GO)
            Log.trace("in cgroup")
            while true {
                let msg = try receive(parentFD)
                switch Int(msg.type) {
                case Int(BERTH_MSG_HOOKS.rawValue):
                    let state = try onHooks(container)
                    let r = state.withUnsafeBytes { berth_send_payload(parentFD, Int32(BERTH_MSG_HOOKS_DONE.rawValue), $0.baseAddress, Int32($0.count)) }
                    if r < 0 { throw .system(operation: "sending state to the container", path: nil, errno: -r) }
                case Int(BERTH_MSG_READY.rawValue):
                    handedOver = true
                    return LaunchedProcess(pid: container, syncFD: parentFD)
                default:
                    throw .message("unexpected message \(msg.type) from the container process")
                }
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Waits until the process behind `fd` (a sync socket, or the connection `start`
    /// made) has exec'd: EOF means execve succeeded, a message is the reason it did not.
    static func awaitExec(_ fd: Int32) throws(RuntimeError) {
        var msg = berth_msg()
        let r = berth_recv(fd, &msg, nil, 0)
        if r < 0 && r != -ECONNRESET { throw .system(operation: "waiting for the container's exec", path: nil, errno: -r) }
        if msg.type == Int32(BERTH_MSG_ERROR.rawValue) {
            let text = withUnsafeBytes(of: msg.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw .setupFailed(step: text, errno: msg.err)
        }
    }

    private static func send(_ fd: Int32, _ type: berth_msg_type) throws(RuntimeError) {
        let r = berth_send(fd, Int32(type.rawValue), 0, 0, nil)
        guard r < 0 else { return }
        // Every child end is closed: a child that failed left its reason queued; report that.
        if r == -EPIPE || r == -ECONNRESET { _ = try receive(fd) }
        throw .system(operation: "talking to the container process", path: nil, errno: -r)
    }

    private static func receive(_ fd: Int32) throws(RuntimeError) -> berth_msg {
        var msg = berth_msg()
        let r = berth_recv(fd, &msg, nil, 0)
        if r < 0 { throw .system(operation: "reading from the container process", path: nil, errno: -r) }
        if msg.type == 0 { throw .message("container process exited during setup") }
        if msg.type == Int32(BERTH_MSG_ERROR.rawValue) {
            let text = withUnsafeBytes(of: msg.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw .setupFailed(step: text, errno: msg.err)
        }
        return msg
    }

    @discardableResult
    private static func expect(_ fd: Int32, _ type: berth_msg_type) throws(RuntimeError) -> berth_msg {
        let msg = try receive(fd)
        guard msg.type == Int32(type.rawValue) else {
            throw .message("unexpected message \(msg.type) from the container process (wanted \(type.rawValue))")
        }
        return msg
    }
}
