import Dispatch
import Glibc

/// SIGTERM/SIGINT as something to await: a clean shutdown instead of dying mid-write.
final class DaemonSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Void, Never>?
    private var fired = false
    private let queue = DispatchQueue(label: "berthd.signals")

    static func watch(_ signals: [Int32]) -> DaemonSignals {
        let watcher = DaemonSignals()
        for signo in signals {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: watcher.queue)
            source.setEventHandler { watcher.fire() }
            source.resume()
            watcher.sources.append(source)
        }
        return watcher
    }

    private func fire() {
        fired = true
        continuation?.resume()
        continuation = nil
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async {
                if self.fired { c.resume() } else { self.continuation = c }
            }
        }
    }
}
