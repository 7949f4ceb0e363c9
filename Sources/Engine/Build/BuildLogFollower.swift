import Foundation
import Glibc
import Synchronization

/// Follows a build container's json-file log and hands each entry's text on, every 10 ms, until
/// told the process ended; then reads what is left and stops (docker's `logs -f` polls the
/// container state at a coarser step, which would add to every RUN).
final class BuildLogFollower: Sendable {
    private let path: String
    private let ended = Mutex(false)

    init(path: String) { self.path = path }

    /// Marks the process as ended: the follower drains the log and returns.
    func finish() { ended.withLock { $0 = true } }

    /// Runs until `finish` and the final drain.
    func run(emit: @escaping @Sendable ([UInt8]) async -> Void) async {
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }
        var offset: Int64 = 0
        var pending: [UInt8] = []
        while true {
            let done = ended.withLock { $0 }
            if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
            if fd >= 0 {
                let bytes = JSONLogReader.readFrom(fd, offset)
                offset += Int64(bytes.count)
                pending += bytes
                let (entries, consumed) = JSONLogReader.decode(pending[...])
                pending.removeFirst(consumed)
                for entry in entries { await emit(entry.text) }
            }
            if done { return }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }
}
