import Dispatch
import Foundation

/// Times the steps of a slow operation for debug logs (`--log-level debug`).
struct StepClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var steps: [(String, UInt64)] = []

    mutating func mark(_ step: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        steps.append((step, now - last))
        last = now
    }

    var report: String {
        steps.map { "\($0.0) \(String(format: "%.1f", Double($0.1) / 1e6)) ms" }.joined(separator: ", ")
    }
}
