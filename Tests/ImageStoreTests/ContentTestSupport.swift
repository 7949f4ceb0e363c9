import Foundation
import Glibc
import ImageStore
import OCI

/// A temporary engine root for one test, removed (after unmounting anything below it) when done.
struct StoreTempRoot {
    let path: String

    init() {
        var template = Array("/tmp/berth-store-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        precondition(made, "mkdtemp failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Unmounts whatever is mounted below the root, then deletes it.
    func remove() {
        for _ in 0..<3 where storeMountPoints(under: path).count > 0 {
            for mount in storeMountPoints(under: path) { try? ContainerRootFS.unmount(mount, detachIfBusy: true) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `body` with a fresh root, always cleaning up.
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let root = StoreTempRoot()
        defer { root.remove() }
        return try await body(root.path)
    }
}

/// Mount points listed in /proc/self/mountinfo at or below `path`.
func storeMountPoints(under path: String) -> [String] {
    guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line -> String? in
        let fields = line.split(separator: " ")
        guard fields.count > 4 else { return nil }
        let point = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
        return point == path || point.hasPrefix(path + "/") ? point : nil
    }
}

/// Names in `dir` (empty when absent).
func storeListing(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
}

/// True when running as root (mount tests need it).
let storeIsRoot = getuid() == 0

/// `sha256:<hex>` parsed, for literals in tests.
func storeDigest(_ text: String) -> Digest {
    try! Digest(parsing: text)
}

/// An async sequence of the chunks of `bytes`.
struct StoreChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let bytes: [UInt8]
    let size: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let size: Int
        var offset = 0
        mutating func next() async throws -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            let end = Swift.min(offset + size, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, size: size) }
}

/// Deterministic pseudo-random bytes.
func storeBytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
    var state = UInt32(seed) &* 2654435761 | 1
    return (0..<count).map { _ in
        state ^= state << 13; state ^= state >> 17; state ^= state << 5
        return UInt8(truncatingIfNeeded: state)
    }
}
