#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Cgroups
import Glibc
import OCI

/// The runtime's operations, as runc's commands: create, start, state, kill,
/// delete, run, exec, list, ps, pause, resume. Each call is one CLI invocation.
public struct OCIRuntime: Sendable {
    /// Where container state lives (`--root`).
    public let store: StateStore

    public init(root: String) {
        store = StateStore(root: root)
    }

    /// The container's status, derived from its process and cgroup (never stored).
    public func status(_ record: ContainerRecord) -> ContainerStatus {
        guard let process = Host.processStart(record.pid), process.start == record.pidStart, !process.zombie else {
            return .stopped
        }
        if Host.exists(store.directory(record.id) + "/start.sock") { return .created }
        if (try? Cgroup(path: record.cgroup).isFrozen) == true { return .paused }
        return .running
    }

    /// The runtime-spec state document plus runc's extra fields.
    public func state(_ id: String) throws(RuntimeError) -> StateReport {
        let record = try store.load(id)
        return report(record)
    }

    func report(_ record: ContainerRecord) -> StateReport {
        let status = status(record)
        return StateReport(ociVersion: record.config.ociVersion, id: record.id, pid: status == .stopped ? 0 : record.pid,
                           status: status.rawValue, bundle: record.bundle, rootfs: record.rootfs,
                           created: record.created, owner: record.owner, annotations: record.config.annotations)
    }

    /// The state JSON hooks receive on stdin.
    func hookState(_ record: ContainerRecord, status: ContainerStatus) -> [UInt8] {
        hookState(id: record.id, pid: record.pid, bundle: record.bundle, spec: record.config, status: status)
    }

    func hookState(id: String, pid: Int32, bundle: String, spec: Spec, status: ContainerStatus) -> [UInt8] {
        let state = ContainerState(ociVersion: spec.ociVersion, id: id, status: status, pid: pid, bundle: bundle,
                                   annotations: spec.annotations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? Array(encoder.encode(state))) ?? []
    }

    /// Every container under the root.
    public func list() -> [StateReport] {
        store.ids().compactMap { try? state($0) }
    }

    /// Sends `signal` to the container's process, or with `all` to every process in its cgroup.
    public func kill(_ id: String, signal: Int32, all: Bool) throws(RuntimeError) {
        let record = try store.load(id)
        let status = status(record)
        guard status != .stopped else { throw .wrongState(id: id, status: "stopped", operation: "kill") }
        if all {
            let cgroup = Cgroup(path: record.cgroup)
            do { try cgroup.killAll(signal: signal) } catch { throw .message("\(error)") }
            if status == .paused, signal == SIGKILL { try? cgroup.thaw() }
        } else if Glibc.kill(record.pid, signal) != 0 {
            throw .errno("signalling container process \(record.pid)")
        }
    }

    /// Freezes every process of the container.
    public func pause(_ id: String) throws(RuntimeError) {
        let record = try store.load(id)
        let status = status(record)
        guard status == .running else { throw .wrongState(id: id, status: status.rawValue, operation: "pause") }
        do { try Cgroup(path: record.cgroup).freeze() } catch { throw .message("\(error)") }
    }

    /// Thaws a paused container.
    public func resume(_ id: String) throws(RuntimeError) {
        let record = try store.load(id)
        let status = status(record)
        guard status == .paused else { throw .wrongState(id: id, status: status.rawValue, operation: "resume") }
        do { try Cgroup(path: record.cgroup).thaw() } catch { throw .message("\(error)") }
    }

    /// The host pids of every process in the container.
    public func pids(_ id: String) throws(RuntimeError) -> [Int32] {
        let record = try store.load(id)
        do { return try Cgroup(path: record.cgroup).pids(recursive: true).sorted() } catch { throw .message("\(error)") }
    }
}

/// What `state` and `list` print: the spec's state plus runc's rootfs, created and owner.
public struct StateReport: Codable, Sendable {
    public var ociVersion: String
    public var id: String
    public var pid: Int32
    public var status: String
    public var bundle: String
    public var rootfs: String
    public var created: String
    public var owner: String
    public var annotations: [String: String]?
}
