// kill -9 of a `berth-store ingest` half way through a blob: no blob becomes visible, only
// ingest/ holds the partial file, cleanup removes it, and a second ingest succeeds.
import Foundation
import Glibc
import ImageStore
import OCI
import Testing

/// `berth-store` built next to the test bundle (same scratch path), when it has `ingest`.
let faultBerthStore: String? = {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = (exe as NSString).deletingLastPathComponent
    // The bundle may be a directory (`X.xctest/...`); walk up to the build products directory.
    while dir.count > 1 {
        let candidate = dir + "/berth-store"
        if access(candidate, X_OK) == 0 { return candidate }
        if dir.hasSuffix(".build-fault") || dir.hasSuffix(".build") { break }
        dir = (dir as NSString).deletingLastPathComponent
    }
    return nil
}()

/// True when `faultBerthStore` lists an `ingest` subcommand.
let faultBerthStoreHasIngest: Bool = {
    guard let tool = faultBerthStore, let help = try? layerRun([tool, "--help"]) else { return false }
    return String(decoding: help, as: UTF8.self).contains("ingest")
}()

/// Writes all of `bytes` to `fd`.
func faultWriteAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws {
    var offset = bytes.startIndex
    while offset < bytes.endIndex {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw LayerTestError("write to fifo: errno \(errno)") }
        offset += n
    }
}

/// Opens the write end of the FIFO at `path`, waiting up to `timeout` seconds for a reader.
func faultOpenFIFOForWriting(_ path: String, timeout: Double) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        }
        guard errno == ENXIO, Date() < deadline else { throw LayerTestError("no reader opened \(path): errno \(errno)") }
        usleep(20_000)
    }
}

@Suite("Fault: kill -9 during ingest", .serialized)
struct FaultIngestKillTests {
    @Test(.enabled(if: faultBerthStoreHasIngest, "berth-store with `ingest` is not built next to the test bundle; run `swift build --scratch-path .build-fault --product berth-store` first"))
    func killedIngestLeavesNoVisibleBlob() async throws {
        try await StoreTempRoot.with { root in
            signal(SIGPIPE, SIG_IGN)
            let tool = try #require(faultBerthStore)
            let store = root + "/store", fifo = root + "/fifo", file = root + "/random.bin"
            try layerShell("head -c \(64 << 20) /dev/urandom > '\(file)'")
            let digest = try Digest(parsing: try layerSha256(file))
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(mkfifo(fifo, 0o600) == 0)

            let child = Process()
            child.executableURL = URL(fileURLWithPath: tool)
            child.arguments = ["ingest", fifo, "--root", store, "--digest", digest.string]
            child.standardInput = FileHandle.nullDevice
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            var killed = false
            defer { if !killed { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() } }

            let fd = try faultOpenFIFOForWriting(fifo, timeout: 30)
            defer { close(fd) }
            // Half the file, slowly: 1 MiB at a time with a pause, so the child is mid-stream.
            let half = bytes.count / 2
            var offset = 0
            while offset < half {
                try faultWriteAll(fd, bytes[offset..<min(offset + (1 << 20), half)])
                offset += 1 << 20
                usleep(5_000)
            }
            // Wait until the child has written most of what it read into its ingest file.
            let content = try ContentStore(root: store)
            let deadline = Date().addingTimeInterval(20)
            func ingestBytes() -> Int64 {
                storeListing(content.ingestDirectory).reduce(0) { $0 + Int64(layerStat(content.ingestDirectory + "/" + $1)?.st_size ?? 0) }
            }
            while ingestBytes() < Int64(half) - (4 << 20) && Date() < deadline { usleep(20_000) }
            #expect(child.isRunning, "the child must still be waiting for the rest")
            #expect(ingestBytes() > 0, "the child was mid-ingest, with bytes in ingest/")

            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            killed = true
            #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)

            #expect(faultFiles(under: content.blobsDirectory).isEmpty, "blobs/ must hold nothing: \(faultFiles(under: content.blobsDirectory))")
            #expect(!content.exists(digest))
            #expect(try content.list().isEmpty)
            let partial = storeListing(content.ingestDirectory)
            #expect(partial.count <= 1, "\(partial)")
            for name in partial {
                let size = layerStat(content.ingestDirectory + "/" + name)?.st_size ?? -1
                #expect(size < Int64(bytes.count), "the partial file is partial: \(size)")
            }
            let storeFiles = faultFiles(under: store).filter { !$0.hasPrefix("content/ingest/") }
            #expect(storeFiles.isEmpty, "nothing outside ingest/: \(storeFiles)")

            try content.cleanupIngest(olderThan: 0)
            #expect(storeListing(content.ingestDirectory).isEmpty)

            let input = open(file, O_RDONLY | O_CLOEXEC)
            defer { close(input) }
            let info = try content.ingest(expected: digest, fileDescriptor: input)
            #expect(info.digest == digest && info.size == Int64(bytes.count))
            #expect(content.exists(digest))
            try content.verify(digest)
            #expect(storeListing(content.ingestDirectory).isEmpty)

            // And the command itself, uninterrupted, agrees.
            let again = try layerRun([tool, "ingest", file, "--root", store, "--digest", digest.string])
            #expect(String(decoding: again, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == digest.string)
        }
    }
}
