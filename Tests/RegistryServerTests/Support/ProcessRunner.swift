import Foundation

/// What a finished child process printed.
struct ProcessResult: Sendable {
    let status: Int32
    let output: String
    let errors: String
}

/// Bytes one reader thread collected.
private final class Collected: @unchecked Sendable {
    var data = Data()
}

/// Runs a program to completion on threads of its own, not on the concurrency pool: a test that
/// blocked a pool thread waiting for skopeo or curl could starve the in-process registry they talk to.
func runProcess(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    return await withCheckedContinuation { continuation in
        let collectedErrors = Collected()
        let errorsDone = DispatchSemaphore(value: 0)
        Thread {
            collectedErrors.data = errors.fileHandleForReading.readDataToEndOfFile()
            errorsDone.signal()
        }.start()
        Thread {
            let outputData = output.fileHandleForReading.readDataToEndOfFile()
            errorsDone.wait()
            process.waitUntilExit()
            continuation.resume(returning: ProcessResult(status: process.terminationStatus,
                                                         output: String(decoding: outputData, as: UTF8.self),
                                                         errors: String(decoding: collectedErrors.data, as: UTF8.self)))
        }.start()
    }
}
