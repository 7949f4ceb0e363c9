@testable import Client

/// An in-memory byte source that hands out at most `step` bytes per read.
final class MemorySource: ByteSource {
    private var bytes: [UInt8]
    private let step: Int
    init(_ bytes: [UInt8], step: Int = 3) { self.bytes = bytes; self.step = step }
    func read(max: Int) throws -> [UInt8]? {
        guard !bytes.isEmpty else { return nil }
        let n = min(max, step, bytes.count)
        defer { bytes.removeFirst(n) }
        return Array(bytes[0..<n])
    }
}
